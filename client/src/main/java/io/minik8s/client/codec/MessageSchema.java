package io.minik8s.client.codec;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the codec needs to know about one message type, computed once per {@link Descriptor} and
 * cached for the life of the JVM (descriptors are few and static). Thread-safe.
 */
final class MessageSchema {
  static final String INT_OR_STRING = "minik8s.api.IntOrString";
  static final String TIMESTAMP = "google.protobuf.Timestamp";

  /**
   * {@code map<string, string>} fields whose values are Kubernetes quantities. Kubernetes' Quantity
   * also accepts a bare YAML/JSON number ({@code cpu: 1}, {@code cpu: 0.5}), so these maps take a
   * number where every other string map insists on a string. The .proto files cannot say this (a
   * quantity is a plain string there), hence this one table.
   */
  private static final Set<String> QUANTITY_MAPS = Set.of(
      "minik8s.api.ResourceRequirements.limits",
      "minik8s.api.ResourceRequirements.requests",
      "minik8s.api.NodeStatus.capacity",
      "minik8s.api.NodeStatus.allocatable");

  private static final Map<Descriptor, MessageSchema> CACHE = new ConcurrentHashMap<>();

  private final List<FieldDescriptor> fields;
  private final Map<String, FieldDescriptor> byJsonName = new HashMap<>();
  /** Lower-cased json name → field, for "did you mean" hints. */
  private final Map<String, String> byLowerCaseJsonName = new HashMap<>();
  /** Lower-cased camelCase form of each reserved name → the reserved snake_case name. */
  private final Map<String, String> reservedByLowerCaseCamel = new HashMap<>();

  private MessageSchema(Descriptor descriptor) {
    this.fields = descriptor.getFields();
    for (FieldDescriptor field : fields) {
      byJsonName.put(field.getJsonName(), field);
      byLowerCaseJsonName.put(field.getJsonName().toLowerCase(Locale.ROOT), field.getJsonName());
    }
    for (String reserved : descriptor.toProto().getReservedNameList()) {
      reservedByLowerCaseCamel.put(reserved.replace("_", "").toLowerCase(Locale.ROOT), reserved);
    }
  }

  static MessageSchema of(Descriptor descriptor) {
    return CACHE.computeIfAbsent(descriptor, MessageSchema::new);
  }

  static boolean isIntOrString(Descriptor descriptor) {
    return descriptor.getFullName().equals(INT_OR_STRING);
  }

  static boolean isTimestamp(Descriptor descriptor) {
    return descriptor.getFullName().equals(TIMESTAMP);
  }

  static boolean isQuantityMap(FieldDescriptor field) {
    return QUANTITY_MAPS.contains(field.getFullName());
  }

  /** The fields in .proto declaration order. */
  List<FieldDescriptor> fields() {
    return fields;
  }

  /** The field with this JSON name, or null. */
  FieldDescriptor field(String jsonName) {
    return byJsonName.get(jsonName);
  }

  /**
   * Whether {@code key} is how Kubernetes spells a field this message reserves (a Kubernetes field
   * minik8s does not support). Kubernetes spells {@code volume_mounts} as {@code volumeMounts} and
   * {@code host_pid} as {@code hostPID}: the key must start lower-case, have no underscore, start
   * each later word of the reserved name with an upper-case letter, and otherwise match ignoring case.
   */
  boolean isReserved(String key) {
    String reserved = reservedByLowerCaseCamel.get(key.toLowerCase(Locale.ROOT));
    if (reserved == null || key.length() != reserved.length() - countUnderscores(reserved)
        || key.indexOf('_') >= 0 || !Character.isLowerCase(key.charAt(0))) {
      return false;
    }
    int at = 0;
    for (String word : reserved.split("_")) {
      if (at > 0 && !Character.isUpperCase(key.charAt(at))) {
        return false;
      }
      at += word.length();
    }
    return true;
  }

  private static int countUnderscores(String name) {
    return (int) name.chars().filter(c -> c == '_').count();
  }

  /** The JSON name of a field that differs from {@code key} only in case, or null. */
  String sameNameIgnoringCase(String key) {
    return byLowerCaseJsonName.get(key.toLowerCase(Locale.ROOT));
  }
}
