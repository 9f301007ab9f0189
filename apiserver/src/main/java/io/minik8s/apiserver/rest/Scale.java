package io.minik8s.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.codec.ManifestEncoder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code scale} subresource of Deployments and ReplicaSets: the {@code autoscaling/v1} Scale view of
 * {@code spec.replicas} (what {@code kubectl scale} patches), and writing a Scale back into the object.
 * Both kinds spell the fields the same way ({@code spec.replicas}, {@code spec.selector},
 * {@code status.replicas}), so one descriptor-driven accessor serves both. Pure and thread-safe.
 */
final class Scale {
  private static final ManifestEncoder ENCODER = new ManifestEncoder();

  private Scale() {}

  static boolean supports(Kind<?> kind) {
    return kind == Kinds.DEPLOYMENT || kind == Kinds.REPLICA_SET;
  }

  /** The Scale of an object: unset {@code spec.replicas} reads as 1, as it defaults. */
  static Map<String, Object> of(Kind<?> kind, Message object) {
    ObjectMeta m = kind.metadata(object);
    Map<String, Object> meta = ENCODER.toMap(ObjectMeta.newBuilder().setName(m.getName())
        .setNamespace(m.getNamespace()).setUid(m.getUid()).setResourceVersion(m.getResourceVersion())
        .setCreationTimestamp(m.getCreationTimestamp()).build());
    Message spec = message(object, "spec");
    Message status = message(object, "status");
    FieldDescriptor replicas = spec.getDescriptorForType().findFieldByName("replicas");
    int desired = spec.hasField(replicas) ? (Integer) spec.getField(replicas) : 1;
    LabelSelector selector = (LabelSelector) spec.getField(spec.getDescriptorForType().findFieldByName("selector"));
    Map<String, Object> scaleStatus = new LinkedHashMap<>();
    scaleStatus.put("replicas", status.getField(status.getDescriptorForType().findFieldByName("replicas")));
    String selectorText = selectorText(selector);
    if (!selectorText.isEmpty()) {
      scaleStatus.put("selector", selectorText);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", "Scale");
    out.put("apiVersion", "autoscaling/v1");
    out.put("metadata", meta);
    out.put("spec", Map.of("replicas", desired));
    out.put("status", scaleStatus);
    return out;
  }

  /**
   * The object with {@code spec.replicas} (and, when the Scale carries one, {@code metadata.resourceVersion}
   * as the update's precondition) taken from a Scale.
   *
   * @throws ApiException BadRequest when the Scale has no usable {@code spec.replicas}, Invalid when negative
   */
  static <T extends Message> T apply(Kind<T> kind, T object, JsonNode scale) {
    JsonNode replicasNode = scale.path("spec").path("replicas");
    if (!replicasNode.canConvertToInt() || !replicasNode.isIntegralNumber()) {
      throw ApiException.badRequest("Scale.spec.replicas: expected an integer, got " + replicasNode);
    }
    int replicas = replicasNode.intValue();
    if (replicas < 0) {
      throw ApiException.invalid(kind, kind.metadata(object).getName(), java.util.List.of(
          io.minik8s.api.StatusCause.newBuilder().setReason("FieldValueInvalid").setField("spec.replicas")
              .setMessage("Invalid value: " + replicas + ": must be greater than or equal to 0").build()));
    }
    Message.Builder b = object.toBuilder();
    FieldDescriptor specField = b.getDescriptorForType().findFieldByName("spec");
    Message.Builder spec = ((Message) b.getField(specField)).toBuilder();
    spec.setField(spec.getDescriptorForType().findFieldByName("replicas"), replicas);
    b.setField(specField, spec.build());
    @SuppressWarnings("unchecked")
    T updated = (T) b.build();
    String resourceVersion = scale.path("metadata").path("resourceVersion").asText("");
    ObjectMeta meta = kind.metadata(updated).toBuilder().setResourceVersion(resourceVersion).build();
    return kind.withMetadata(updated, meta);
  }

  private static Message message(Message object, String field) {
    return (Message) object.getField(object.getDescriptorForType().findFieldByName(field));
  }

  private static String selectorText(LabelSelector selector) {
    if (selector.getMatchLabelsCount() == 0 && selector.getMatchExpressionsCount() == 0) {
      return "";
    }
    try {
      return io.minik8s.client.selector.LabelSelector.from(selector).toString();
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
