package io.minik8s.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.minik8s.api.Deployment;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class KubernetesProtobufTest {
  private final KubernetesProtobuf protobuf = KubernetesProtobuf.load();

  /** Writes protobuf fields, as Kubernetes' (gogo) encoder does: every non-pointer field, zero or not. */
  private static final class Message {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Message string(int field, String value) {
      return io(() -> out.writeString(field, value));
    }

    Message varint(int field, long value) {
      return io(() -> out.writeInt64(field, value));
    }

    Message bool(int field, boolean value) {
      return io(() -> out.writeBool(field, value));
    }

    Message message(int field, Message value) {
      return io(() -> out.writeBytes(field, ByteString.copyFrom(value.toByteArray())));
    }

    Message entry(int field, String key, String value) {
      return message(field, new Message().string(1, key).string(2, value));
    }

    byte[] toByteArray() {
      io(out::flush);
      return bytes.toByteArray();
    }

    private Message io(IoAction action) {
      try {
        action.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    interface IoAction {
      void run() throws IOException;
    }
  }

  /** {@code k8s\0} + runtime.Unknown{typeMeta, raw}. */
  private static byte[] envelope(String apiVersion, String kind, Message object) {
    byte[] unknown = new Message().message(1, new Message().string(1, apiVersion).string(2, kind))
        .message(2, object).string(3, "").string(4, "").toByteArray();
    byte[] out = new byte[unknown.length + 4];
    out[0] = 'k';
    out[1] = '8';
    out[2] = 's';
    System.arraycopy(unknown, 0, out, 4, unknown.length);
    return out;
  }

  private static Message meta(String name) {
    return new Message().string(1, name).string(2, "").string(3, "").string(5, "").string(6, "").varint(7, 0)
        .message(8, new Message());
  }

  /** What {@code kubectl create deployment web --image=busybox --port=80} sends, field by field. */
  private static byte[] createDeployment() {
    Message container = new Message().string(1, "busybox").string(2, "busybox").string(5, "")
        .message(6, new Message().string(1, "").varint(2, 0).varint(3, 80).string(4, "TCP").string(5, ""))
        .message(8, new Message()).string(13, "").string(14, "").bool(16, false).bool(17, false).bool(18, false);
    Message podSpec = new Message().message(2, container).string(3, "").string(6, "").bool(11, false);
    Message template = new Message().message(1, meta("").entry(11, "app", "web")).message(2, podSpec);
    Message spec = new Message().varint(1, 1)
        .message(2, new Message().entry(1, "app", "web"))
        .message(3, template)
        .message(4, new Message().string(1, ""))
        .varint(5, 0);
    Message deployment = new Message().message(1, meta("web").entry(11, "app", "web")).message(2, spec)
        .message(3, new Message().varint(1, 0).varint(2, 0));
    return envelope("apps/v1", "Deployment", deployment);
  }

  @Test
  void aDeploymentFromATypedClientBecomesTheJsonOfTheSameDeployment() {
    JsonNode json = protobuf.toJson(Kinds.DEPLOYMENT, createDeployment());
    assertThat(json.toString()).isEqualTo(TestJson.json("{'apiVersion':'apps/v1','kind':'Deployment',"
        + "'metadata':{'name':'web','labels':{'app':'web'}},'spec':{'replicas':1,'selector':{'matchLabels':"
        + "{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'busybox',"
        + "'image':'busybox','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}}}").toString());
    Deployment decoded = new ObjectJson().decode(Kinds.DEPLOYMENT, json.toString());
    assertThat(decoded.getSpec().getTemplate().getSpec().getContainers(0).getPorts(0).getContainerPort()).isEqualTo(80);
  }

  @Test
  void aZeroKeptWhereMinik8sKeepsPresence() {
    Message spec = new Message().varint(1, 0).message(2, new Message().entry(1, "app", "web"));
    JsonNode json = protobuf.toJson(Kinds.DEPLOYMENT, envelope("apps/v1", "Deployment",
        new Message().message(1, meta("zero")).message(2, spec)));
    assertThat(json.at("/spec/replicas").isInt()).isTrue();
    assertThat(json.at("/spec/replicas").asInt()).isZero();
  }

  @Test
  void aSetFieldMinik8sDoesNotReadIsKeptSoThatDecodingNamesIt() {
    Message container = new Message().string(1, "c").string(2, "i").bool(16, true)
        .message(9, new Message().string(1, "data").string(3, "/data"));
    Message pod = new Message().message(1, meta("p")).message(2, new Message().message(2, container));
    JsonNode json = protobuf.toJson(Kinds.POD, envelope("v1", "Pod", pod));
    assertThat(json.at("/spec/containers/0/stdin").asBoolean()).isTrue();
    assertThat(json.at("/spec/containers/0/volumeMounts/0").asText()).isNotEmpty();
    assertThatThrownBy(() -> new ObjectJson().decode(Kinds.POD, json.toString())).isInstanceOf(ApiException.class)
        .hasMessageContaining("spec.containers[0].stdin").hasMessageContaining("spec.containers[0].volumeMounts");
  }

  @Test
  void deleteOptionsKeepAZeroGracePeriod() {
    byte[] body = envelope("meta.k8s.io/v1", "DeleteOptions", new Message().varint(1, 0).string(4, "Foreground"));
    JsonNode json = protobuf.deleteOptions(body);
    assertThat(json.get("gracePeriodSeconds").asLong()).isZero();
    assertThat(json.get("propagationPolicy").asText()).isEqualTo("Foreground");
  }

  @Test
  void somethingElseIsABadRequest() {
    assertThatThrownBy(() -> protobuf.toJson(Kinds.POD, "{}".getBytes())).isInstanceOf(ApiException.class)
        .hasMessageContaining("magic");
    assertThat(KubernetesProtobuf.messageOf(Kinds.LEASE)).isEqualTo("k8s.io.api.coordination.v1.Lease");
    assertThat(KubernetesProtobuf.messageOf(Kinds.POD)).isEqualTo("k8s.io.api.core.v1.Pod");
  }
}
