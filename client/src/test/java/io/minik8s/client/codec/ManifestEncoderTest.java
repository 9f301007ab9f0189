package io.minik8s.client.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Container;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.EnvVar;
import io.minik8s.api.Lease;
import io.minik8s.api.LeaseSpec;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.client.api.Kinds;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestEncoderTest {
  private final ManifestEncoder encoder = new ManifestEncoder();
  private final ManifestDecoder decoder = new ManifestDecoder();

  private static ObjectMeta named(String name) {
    return ObjectMeta.newBuilder().setName(name).build();
  }

  @Test
  void leavesOutFieldsAtTheirDefaultLikeOmitempty() {
    Pod pod = Pod.newBuilder().setMetadata(named("p").toBuilder().setGeneration(0).setNamespace(""))
        .build();
    assertThat(encoder.toCompactJson(pod)).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}");
    assertThat(encoder.toYaml(pod)).isEqualTo("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n");
  }

  @Test
  void writesSetOptionalFieldsEvenWhenZeroAndKeepsTheirPresence() {
    Deployment zero = Deployment.newBuilder().setMetadata(named("d"))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(0).setPaused(false)).build();
    String yaml = encoder.toYaml(zero);

    assertThat(yaml).isEqualTo("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 0\n");
    Deployment again = decoder.decode(Kinds.DEPLOYMENT, yaml);
    assertThat(again.getSpec().hasReplicas()).isTrue();
    assertThat(again).isEqualTo(zero);

    Deployment unset = decoder.decode(Kinds.DEPLOYMENT, "apiVersion: apps/v1\nkind: Deployment\nspec:\n  paused: false\n");
    assertThat(unset.getSpec().hasReplicas()).isFalse();
  }

  @Test
  void writesASetButEmptyMessageAsAnEmptyObject() {
    Pod pod = Pod.newBuilder().setMetadata(named("p")).setSpec(PodSpec.getDefaultInstance()).build();
    assertThat(encoder.toCompactJson(pod)).endsWith(",\"spec\":{}}");
    assertThat(encoder.toYaml(pod)).endsWith("spec: {}\n");
    assertThat(decoder.decode(Kinds.POD, encoder.toYaml(pod)).hasSpec()).isTrue();
    assertThat(decoder.decode(Kinds.POD, "spec: ~\n").hasSpec()).isFalse();
  }

  @Test
  void writesTimesInUtcWithSecondsOrMicroseconds() {
    LeaseSpec.Builder spec = LeaseSpec.newBuilder()
        .setAcquireTime(Timestamp.newBuilder().setSeconds(1795773600L))
        .setRenewTime(Timestamp.newBuilder().setSeconds(1795773600L).setNanos(123_456_000));
    Map<String, Object> map = encoder.toMap(Lease.newBuilder().setSpec(spec).build());
    assertThat(map.get("spec")).isEqualTo(Map.of(
        "acquireTime", "2026-11-27T10:00:00Z", "renewTime", "2026-11-27T10:00:00.123456Z"));

    spec.setRenewTime(Timestamp.newBuilder().setSeconds(1795773600L).setNanos(1));
    assertThat(encoder.toMap(spec.build())).containsEntry("renewTime", "2026-11-27T10:00:00.000000001Z");

    Lease fromOffset = decoder.decode(Kinds.LEASE, "spec: {renewTime: '2026-11-27T12:00:00.5+02:00'}");
    assertThat(encoder.toMap(fromOffset.getSpec())).containsEntry("renewTime", "2026-11-27T10:00:00.500000Z");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-27", "2026-11-27T10:00Z", "2026-13-01T00:00:00Z", "2026-11-27T10:00:00",
      "2026-11-27 10:00:00Z", "0000-01-01T00:00:00Z", "2026-11-27T10:00:00.1234567890Z"})
  void readsOnlyRfc3339Times(String time) {
    ManifestException e = catchThrowableOfType(ManifestException.class,
        () -> decoder.decode(Kinds.LEASE, "spec:\n  renewTime: \"" + time + "\"\n"));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.fieldPath()).isEqualTo("spec.renewTime");
      assertThat(p.line()).isEqualTo(2);
    });
  }

  @Test
  void sortsMapKeysAndWritesInt64AsANumber() {
    ObjectMeta meta = named("m").toBuilder().setGeneration(7)
        .putLabels("zone", "b").putLabels("app", "web").putLabels("tier", "front").build();
    assertThat(encoder.toCompactJson(meta))
        .isEqualTo("{\"name\":\"m\",\"generation\":7,\"labels\":{\"app\":\"web\",\"tier\":\"front\",\"zone\":\"b\"}}");
  }

  @Test
  void nestedMessagesGetNoApiVersionOrKind() {
    PodSpec spec = PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c").setImage("busybox")).build();
    assertThat(encoder.toMap(spec)).containsOnlyKeys("containers");
    assertThat(encoder.toYaml(spec)).isEqualTo("containers:\n- name: c\n  image: busybox\n");
    Pod pod = Pod.newBuilder().setSpec(spec).build();
    assertThat(encoder.toYaml(pod)).doesNotContain("  kind:").doesNotContain("  apiVersion:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"123", "-1", "1e3", "1.5", ".5", "0x1F", "0o17", "0755", "1_000", "1:30", "true", "True",
      "false", "on", "off", "yes", "no", "y", "null", "Null", "~", "", " ", " padded", "2026-11-27",
      "2026-11-27T10:00:00Z", "- item", "key: value", "#comment", "@at", "*star", "&amp", "!tag", "%pct", "'q'",
      "\"dq\"", "a\nb", "trailing\n", "[1]", "{a: 1}", ".inf", ".NaN", "=", "<<", "25%", "http", "10.244.1.5"})
  void stringsStayStringsThroughYaml(String value) {
    Pod pod = Pod.newBuilder().setMetadata(named("p").toBuilder().putLabels("k", value).putAnnotations(value, "v"))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c")
            .addArgs(value).addEnv(EnvVar.newBuilder().setName("E").setValue(value))))
        .build();
    String yaml = encoder.toYaml(pod);
    assertThat(decoder.decode(Kinds.POD, yaml)).as(yaml).isEqualTo(pod);
    assertThat(decoder.decode(Kinds.POD, encoder.toJson(pod))).isEqualTo(pod);
  }

  @Test
  void writesKubernetesStyleQuotes() {
    Pod pod = Pod.newBuilder().setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder()
        .addArgs("80").addArgs("true").addArgs("plain").addArgs("").addArgs("two\nlines"))).build();
    assertThat(encoder.toYaml(pod)).isEqualTo("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n"
        + "  - args:\n"
        + "    - \"80\"\n"
        + "    - \"true\"\n"
        + "    - plain\n"
        + "    - \"\"\n"
        + "    - |-\n"
        + "      two\n"
        + "      lines\n");
  }

  @Test
  void listsRoundTripEvenWhenEmpty() {
    assertThat(encoder.toYaml(List.of())).isEqualTo("apiVersion: v1\nkind: List\nitems: []\n");
    assertThat(decoder.decode("empty.yaml", encoder.toYaml(List.of()))).isEmpty();
    assertThat(encoder.toJson(List.of(Pod.newBuilder().setMetadata(named("a")).build()))).isEqualTo("""
        {
          "apiVersion": "v1",
          "kind": "List",
          "items": [
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": {
                "name": "a"
              }
            }
          ]
        }""");
  }

  @Test
  void skipsEmptyDocumentsButCountsThem() {
    List<Manifest> manifests = decoder.decode("m.yaml", """
        ---
        # only a comment
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: a}
        ---
        ---
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "b"}}
        """);
    assertThat(manifests).extracting(Manifest::document, Manifest::line).containsExactly(
        org.assertj.core.groups.Tuple.tuple(2, 4), org.assertj.core.groups.Tuple.tuple(4, 9));
    assertThat(decoder.decode("blank.yaml", "")).isEmpty();
  }

  @Test
  void readsJsonIndentedWithTabs() {
    Pod pod = decoder.decode(Kinds.POD, "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"Pod\",\n\t\"spec\": {\n\t\t\"hostNetwork\": true\n\t}\n}");
    assertThat(pod.getSpec().getHostNetwork()).isTrue();
  }

  @Test
  void kubernetesRequiredFieldsAreWrittenAtTheirZeroValueOnlyWhenAsked() {
    io.minik8s.api.ContainerStatus status = io.minik8s.api.ContainerStatus.newBuilder().setName("c").setImage("i")
        .setState(io.minik8s.api.ContainerState.newBuilder().setTerminated(
            io.minik8s.api.ContainerStateTerminated.newBuilder().setReason("Completed")))
        .build();
    assertThat(new ManifestEncoder().toMap(status)).doesNotContainKeys("ready", "restartCount", "imageID");
    java.util.Map<String, Object> written = ManifestEncoder.writingRequiredFields().toMap(status);
    assertThat(written).containsEntry("ready", false).containsEntry("restartCount", 0).containsEntry("imageID", "")
        .doesNotContainKeys("containerID", "started", "lastState");
    assertThat(written.get("state").toString()).isEqualTo("{terminated={exitCode=0, reason=Completed}}");
  }

  @Test
  void everyRequiredFieldIsAScalarWithoutPresence() {
    List<com.google.protobuf.Descriptors.FileDescriptor> files = List.of(
        io.minik8s.api.Pod.getDescriptor().getFile(), Deployment.getDescriptor().getFile(),
        ObjectMeta.getDescriptor().getFile());
    for (String name : ManifestEncoder.REQUIRED_FIELDS) {
      String message = name.substring("minik8s.api.".length(), name.lastIndexOf('.'));
      String field = name.substring(name.lastIndexOf('.') + 1);
      var type = files.stream().map(f -> f.findMessageTypeByName(message)).filter(java.util.Objects::nonNull)
          .findFirst().orElseThrow(() -> new AssertionError("no message " + message));
      var descriptor = type.findFieldByName(field);
      assertThat(descriptor).as(name).isNotNull();
      assertThat(descriptor.isRepeated() || descriptor.hasPresence()).as(name).isFalse();
    }
  }
}
