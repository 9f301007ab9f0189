package io.minik8s.client.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.minik8s.api.Object;
import io.minik8s.api.ObjectMeta;
import java.util.List;
import java.util.Objects;

/**
 * One kind of API object: its names (as kubectl knows them), its group/version, whether it lives in
 * a namespace, and how to get it in and out of the {@link Object} envelope.
 *
 * <p>Every kind message has {@code metadata} as field 1; kinds with a {@code status} field support
 * status updates. Everything except metadata and status is what Kubernetes calls the spec
 * (for Endpoints: {@code subsets}; for Event: its flat fields).
 *
 * @param <T> the protobuf message of the kind
 */
public final class Kind<T extends Message> {
  private final String kind;
  private final String apiVersion;
  private final String resource;
  private final String singular;
  private final List<String> shortNames;
  private final boolean namespaced;
  private final T defaultInstance;
  private final FieldDescriptor envelopeField;
  private final FieldDescriptor metadataField;
  private final FieldDescriptor statusField;

  Kind(String kind, String apiVersion, String resource, List<String> shortNames, boolean namespaced,
      T defaultInstance) {
    this.kind = kind;
    this.apiVersion = apiVersion;
    this.resource = resource;
    this.singular = kind.toLowerCase(java.util.Locale.ROOT);
    this.shortNames = List.copyOf(shortNames);
    this.namespaced = namespaced;
    this.defaultInstance = defaultInstance;
    Descriptor descriptor = defaultInstance.getDescriptorForType();
    this.metadataField = Objects.requireNonNull(descriptor.findFieldByName("metadata"), kind);
    this.statusField = descriptor.findFieldByName("status");
    this.envelopeField = Object.getDescriptor().getFields().stream()
        .filter(f -> f.getMessageType() == descriptor)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no field of type " + kind + " in Object"));
  }

  /** The kind as in manifests: {@code Pod}. */
  public String kind() {
    return kind;
  }

  /** {@code v1}, {@code apps/v1}, {@code coordination.k8s.io/v1}. */
  public String apiVersion() {
    return apiVersion;
  }

  /** The API group: empty for core. */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** The plural resource name used in requests and etcd keys: {@code pods}. */
  public String resource() {
    return resource;
  }

  public String singular() {
    return singular;
  }

  public List<String> shortNames() {
    return shortNames;
  }

  public boolean namespaced() {
    return namespaced;
  }

  public boolean hasStatus() {
    return statusField != null;
  }

  public T defaultInstance() {
    return defaultInstance;
  }

  public Descriptor descriptor() {
    return defaultInstance.getDescriptorForType();
  }

  @SuppressWarnings("unchecked")
  public Class<T> type() {
    return (Class<T>) defaultInstance.getClass();
  }

  public FieldDescriptor statusField() {
    return statusField;
  }

  public ObjectMeta metadata(Message object) {
    return (ObjectMeta) object.getField(metadataField);
  }

  /** A copy of {@code object} with its metadata replaced. */
  @SuppressWarnings("unchecked")
  public T withMetadata(Message object, ObjectMeta metadata) {
    return (T) object.toBuilder().setField(metadataField, metadata).build();
  }

  /** A copy of {@code object} with its status taken from {@code statusSource} (cleared when absent there). */
  @SuppressWarnings("unchecked")
  public T withStatusOf(Message object, Message statusSource) {
    Message.Builder b = object.toBuilder();
    if (statusField == null) {
      return (T) b.build();
    }
    if (statusSource.hasField(statusField)) {
      b.setField(statusField, statusSource.getField(statusField));
    } else {
      b.clearField(statusField);
    }
    return (T) b.build();
  }

  /** The object without metadata and status: what a spec change compares. */
  public Message specPart(Message object) {
    Message.Builder b = object.toBuilder().clearField(metadataField);
    if (statusField != null) {
      b.clearField(statusField);
    }
    return b.build();
  }

  /** Wraps an object of this kind in the envelope the gRPC API carries. */
  public Object wrap(Message object) {
    if (object.getDescriptorForType() != descriptor()) {
      throw new IllegalArgumentException("not a " + kind + ": " + object.getDescriptorForType().getName());
    }
    return Object.newBuilder().setField(envelopeField, object).build();
  }

  /** Takes an object of this kind out of the envelope. */
  @SuppressWarnings("unchecked")
  public T unwrap(Object envelope) {
    if (!envelope.hasField(envelopeField)) {
      throw new IllegalArgumentException("expected a " + kind + " but got " + envelope.getKindCase());
    }
    return (T) envelope.getField(envelopeField);
  }

  public T parse(byte[] bytes) {
    try {
      @SuppressWarnings("unchecked")
      T parsed = (T) defaultInstance.getParserForType().parseFrom(bytes);
      return parsed;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("corrupt " + kind + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return kind;
  }
}
