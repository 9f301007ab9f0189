package io.minik8s.client.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Event;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.api.Service;
import io.minik8s.client.api.Kinds;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldSelectorTest {
  private static final Pod POD = Pod.newBuilder()
      .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName("web-1"))
      .setSpec(PodSpec.newBuilder().setNodeName("node-1").setSchedulerName("default-scheduler"))
      .setStatus(PodStatus.newBuilder().setPhase("Running").setPodIp("10.0.0.5"))
      .build();

  @Test
  void parsesAllOperatorsAndPrintsCanonically() {
    FieldSelector s = FieldSelector.parse("status.phase==Running,metadata.name=x,spec.nodeName!=");
    assertThat(s.toString()).isEqualTo("metadata.name=x,spec.nodeName!=,status.phase=Running");
    assertThat(FieldSelector.parse(s.toString())).isEqualTo(s);
  }

  @Test
  void matchesObjectFields() {
    assertThat(FieldSelector.parse("spec.nodeName=node-1,status.phase!=Succeeded").matches(POD)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName=node-2").matches(POD)).isFalse();
    assertThat(FieldSelector.parse("spec.nodeName!=").matches(POD)).isTrue();
    assertThat(FieldSelector.parse("spec.nodeName=").matches(Pod.getDefaultInstance())).isTrue();
    assertThat(FieldSelector.parse("metadata.namespace=default,metadata.name=web-1").matches(POD)).isTrue();
    assertThat(FieldSelector.parse("status.podIP=10.0.0.5,spec.schedulerName=default-scheduler").matches(POD))
        .isTrue();
    assertThat(FieldSelector.everything().matches(POD)).isTrue();
  }

  @Test
  void missingFieldReadsAsEmpty() {
    FieldSelector s = FieldSelector.parse("a=,b!=x");
    assertThat(s.matches(f -> null)).isTrue();
    assertThat(s.matches(Map.of("a", "1")::get)).isFalse();
  }

  @Test
  void requiredValueServesIndexLookups() {
    FieldSelector s = FieldSelector.parse("spec.nodeName=node-1,status.phase!=Failed");
    assertThat(s.requiredValue("spec.nodeName")).contains("node-1");
    assertThat(s.requiredValue("status.phase")).isEmpty();
    assertThat(FieldSelector.equal("spec.nodeName", "n").requiredValue("spec.nodeName")).contains("n");
  }

  @Test
  void escapedValuesRoundTrip() {
    FieldSelector s = FieldSelector.parse("metadata.name=a\\,b\\=c\\\\d");
    assertThat(s.requirements().get(0).value()).isEqualTo("a,b=c\\d");
    assertThat(FieldSelector.parse(s.toString())).isEqualTo(s);
  }

  @Test
  void rejectsBadSyntax() {
    assertThatThrownBy(() -> FieldSelector.parse("metadata.name")).hasMessageContaining("has no operator");
    assertThatThrownBy(() -> FieldSelector.parse("=x")).hasMessageContaining("has no field name");
    assertThatThrownBy(() -> FieldSelector.parse("a=b,")).hasMessageContaining("has no operator");
    assertThatThrownBy(() -> FieldSelector.parse("a=b\\x")).hasMessageContaining("invalid escape");
    assertThatThrownBy(() -> FieldSelector.parse("a==b=c")).hasMessageContaining("unescaped '='");
  }

  @Test
  void knownKindRejectsUnsupportedFieldsAtParseTime() {
    assertThat(FieldSelector.parse("spec.nodeName=n", Kinds.POD).isEmpty()).isFalse();
    assertThatThrownBy(() -> FieldSelector.parse("spec.nodeName=n", Kinds.SERVICE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("field label not supported for Service: \"spec.nodeName\"")
        .hasMessageContaining("metadata.name");
    assertThatThrownBy(() -> FieldSelector.parse("spec.foo=1", Kinds.POD))
        .hasMessageContaining("\"spec.foo\"");
  }

  @Test
  void objectFieldsPerKind() {
    assertThat(ObjectFields.of(POD)).containsEntry("spec.nodeName", "node-1")
        .containsEntry("status.phase", "Running").containsEntry("metadata.namespace", "default");
    assertThat(ObjectFields.of(Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("s")).build()))
        .containsOnlyKeys("metadata.name", "metadata.namespace");
    Event e = Event.newBuilder().setInvolvedObject(ObjectReference.newBuilder().setKind("Pod").setName("p"))
        .setReason("Scheduled").build();
    assertThat(ObjectFields.of(e)).containsEntry("involvedObject.name", "p").containsEntry("reason", "Scheduled");
    assertThat(ObjectFields.supported(Kinds.NAMESPACE)).contains("status.phase");
  }
}
