package io.minik8s.client.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.minik8s.api.IntOrString;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a SnakeYAML node tree into a protobuf message, driven only by the message's descriptor:
 * keys are JSON names, scalars must have the field's type (as strictly as Kubernetes), a YAML null
 * leaves a field unset. Every problem is reported to {@link Problems} with its path and line, and
 * reading goes on, so one pass finds them all.
 *
 * <p>One instance per decode call; not thread-safe.
 */
final class YamlMessageReader {
  /** Deeper than any API object; stops cyclic YAML aliases ({@code a: &x [*x]}) from recursing forever. */
  private static final int MAX_DEPTH = 64;
  private static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger UINT_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger ULONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private final Problems problems;

  YamlMessageReader(Problems problems) {
    this.problems = problems;
  }

  /**
   * Reads the fields of {@code node} into {@code builder}.
   *
   * @param skipped keys that the caller has already handled (a manifest's {@code apiVersion}, {@code kind})
   */
  void readFields(MappingNode node, Message.Builder builder, FieldPath path, Set<String> skipped) {
    readFields(node, builder, path, skipped, 0);
  }

  private void readFields(MappingNode node, Message.Builder builder, FieldPath path, Set<String> skipped,
      int depth) {
    MessageSchema schema = MessageSchema.of(builder.getDescriptorForType());
    Set<String> seen = new HashSet<>();
    for (NodeTuple entry : node.getValue()) {
      String key = keyText(entry.getKeyNode());
      if (key == null) {
        problems.add(entry.getKeyNode(), path, "expected a field name, got " + describe(entry.getKeyNode()));
        continue;
      }
      FieldPath fieldPath = path.field(key);
      if (!seen.add(key)) {
        problems.add(entry.getKeyNode(), fieldPath, "duplicate field");
        continue;
      }
      if (skipped.contains(key)) {
        continue;
      }
      FieldDescriptor field = schema.field(key);
      if (field == null) {
        problems.add(entry.getKeyNode(), fieldPath, unknownField(schema, key));
        continue;
      }
      Node value = entry.getValueNode();
      if (isNull(value)) {
        continue;
      }
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null && builder.hasOneof(oneof)) {
        problems.add(entry.getKeyNode(), fieldPath, "only one of "
            + oneof.getFields().stream().map(FieldDescriptor::getJsonName).toList() + " may be set");
        continue;
      }
      if (field.isMapField()) {
        readMap(value, builder, field, fieldPath, depth);
      } else if (field.isRepeated()) {
        readList(value, builder, field, fieldPath, depth);
      } else {
        Object read = readValue(value, builder, field, fieldPath, depth);
        if (read != null) {
          builder.setField(field, read);
        }
      }
    }
  }

  private static String unknownField(MessageSchema schema, String key) {
    if (schema.isReserved(key)) {
      return "not supported by minik8s";
    }
    String similar = schema.sameNameIgnoringCase(key);
    return similar == null ? "unknown field" : "unknown field (did you mean \"" + similar + "\"?)";
  }

  private void readList(Node node, Message.Builder builder, FieldDescriptor field, FieldPath path, int depth) {
    if (!(node instanceof SequenceNode sequence)) {
      problems.add(node, path, "expected array, got " + describe(node));
      return;
    }
    int i = 0;
    for (Node element : sequence.getValue()) {
      FieldPath elementPath = path.index(i++);
      if (isNull(element)) {
        problems.add(element, elementPath, "expected " + expected(field) + ", got null");
        continue;
      }
      Object read = readValue(element, builder, field, elementPath, depth);
      if (read != null) {
        builder.addRepeatedField(field, read);
      }
    }
  }

  private void readMap(Node node, Message.Builder builder, FieldDescriptor field, FieldPath path, int depth) {
    if (!(node instanceof MappingNode mapping)) {
      problems.add(node, path, "expected object, got " + describe(node));
      return;
    }
    Descriptor entryType = field.getMessageType();
    FieldDescriptor keyField = entryType.findFieldByNumber(1);
    FieldDescriptor valueField = entryType.findFieldByNumber(2);
    boolean quantities = MessageSchema.isQuantityMap(field);
    Set<String> seen = new HashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyText(tuple.getKeyNode());
      if (key == null) {
        problems.add(tuple.getKeyNode(), path, "expected a key, got " + describe(tuple.getKeyNode()));
        continue;
      }
      FieldPath entryPath = path.key(key);
      if (!seen.add(key)) {
        problems.add(tuple.getKeyNode(), entryPath, "duplicate key");
        continue;
      }
      Message.Builder entry = builder.newBuilderForField(field);
      Object mapKey = convertKey(key, keyField, tuple.getKeyNode(), entryPath);
      if (mapKey == null) {
        continue;
      }
      entry.setField(keyField, mapKey);
      Node value = tuple.getValueNode();
      if (quantities && value instanceof ScalarNode scalar && isNumber(scalar)) {
        entry.setField(valueField, scalar.getValue());
      } else if (!isNull(value)) {
        Object read = readValue(value, entry, valueField, entryPath, depth);
        if (read == null) {
          continue;
        }
        entry.setField(valueField, read);
      }
      builder.addRepeatedField(field, entry.build());
    }
  }

  /** JSON object keys are always strings, so a map key is taken from the key's text whatever YAML made of it. */
  private Object convertKey(String key, FieldDescriptor keyField, Node at, FieldPath path) {
    switch (keyField.getJavaType()) {
      case STRING:
        return key;
      case BOOLEAN:
        if (key.equals("true") || key.equals("false")) {
          return Boolean.valueOf(key);
        }
        break;
      default:
        try {
          return checkRange(new BigInteger(key), keyField, at, path);
        } catch (NumberFormatException e) {
          break;
        }
    }
    problems.add(at, path, "expected a " + expected(keyField) + " key");
    return null;
  }

  /** Reads one value of {@code field}'s type (for repeated fields: one element); null after a problem. */
  private Object readValue(Node node, Message.Builder owner, FieldDescriptor field, FieldPath path,
      int depth) {
    switch (field.getJavaType()) {
      case MESSAGE:
        return readMessage(node, owner, field, path, depth);
      case STRING:
        if (isStringLike(node)) {
          return ((ScalarNode) node).getValue();
        }
        break;
      case INT:
      case LONG:
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
          BigInteger integer = parseYamlInteger(scalar.getValue());
          if (integer != null) {
            return checkRange(integer, field, node, path);
          }
        }
        break;
      case BOOLEAN:
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
          String text = scalar.getValue().toLowerCase(Locale.ROOT);
          return text.equals("true") || text.equals("yes") || text.equals("on");
        }
        break;
      case FLOAT:
      case DOUBLE:
        if (node instanceof ScalarNode scalar && isNumber(scalar)) {
          try {
            double d = Double.parseDouble(scalar.getValue().replace("_", ""));
            return field.getJavaType() == FieldDescriptor.JavaType.FLOAT ? (Object) (float) d : d;
          } catch (NumberFormatException e) {
            break;
          }
        }
        break;
      case ENUM:
        if (isStringLike(node)) {
          EnumValueDescriptor value = field.getEnumType().findValueByName(((ScalarNode) node).getValue());
          if (value != null) {
            return value;
          }
          problems.add(node, path, "expected one of " + field.getEnumType().getValues().stream()
              .map(EnumValueDescriptor::getName).toList() + ", got " + describe(node));
          return null;
        }
        break;
      case BYTE_STRING:
        if (isStringLike(node)) {
          try {
            return ByteString.copyFrom(Base64.getDecoder().decode(((ScalarNode) node).getValue()));
          } catch (IllegalArgumentException e) {
            problems.add(node, path, "expected base64 data: " + e.getMessage());
            return null;
          }
        }
        break;
      default:
        break;
    }
    problems.add(node, path, "expected " + expected(field) + ", got " + describe(node));
    return null;
  }

  private Object readMessage(Node node, Message.Builder owner, FieldDescriptor field, FieldPath path,
      int depth) {
    Descriptor type = field.getMessageType();
    if (MessageSchema.isIntOrString(type)) {
      if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
        BigInteger integer = parseYamlInteger(scalar.getValue());
        if (integer == null) {
          problems.add(node, path, "expected integer or string, got " + describe(node));
        } else if (integer.compareTo(INT_MIN) < 0 || integer.compareTo(INT_MAX) > 0) {
          problems.add(node, path, "integer " + integer + " is out of range for int32");
        } else {
          return IntOrString.newBuilder().setIntVal(integer.intValue()).build();
        }
        return null;
      }
      if (isStringLike(node)) {
        return IntOrString.newBuilder().setStrVal(((ScalarNode) node).getValue()).build();
      }
      problems.add(node, path, "expected integer or string, got " + describe(node));
      return null;
    }
    if (MessageSchema.isTimestamp(type)) {
      if (isStringLike(node)) {
        Timestamp time = Rfc3339.parse(((ScalarNode) node).getValue());
        if (time != null) {
          return time;
        }
      }
      problems.add(node, path, "expected an RFC 3339 time such as \"2026-11-27T10:00:00Z\", got " + describe(node));
      return null;
    }
    if (!(node instanceof MappingNode mapping)) {
      problems.add(node, path, "expected object, got " + describe(node));
      return null;
    }
    if (depth >= MAX_DEPTH) {
      problems.add(node, path, "nested too deeply (more than " + MAX_DEPTH + " levels)");
      return null;
    }
    Message.Builder builder = owner.newBuilderForField(field);
    readFields(mapping, builder, path, Set.of(), depth + 1);
    return builder.build();
  }

  private Object checkRange(BigInteger value, FieldDescriptor field, Node at, FieldPath path) {
    BigInteger min;
    BigInteger max;
    String type;
    switch (field.getType()) {
      case INT32, SINT32, SFIXED32 -> {
        min = INT_MIN;
        max = INT_MAX;
        type = "int32";
      }
      case UINT32, FIXED32 -> {
        min = BigInteger.ZERO;
        max = UINT_MAX;
        type = "uint32";
      }
      case UINT64, FIXED64 -> {
        min = BigInteger.ZERO;
        max = ULONG_MAX;
        type = "uint64";
      }
      default -> {
        min = LONG_MIN;
        max = LONG_MAX;
        type = "int64";
      }
    }
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      problems.add(at, path, "integer " + value + " is out of range for " + type);
      return null;
    }
    return field.getJavaType() == FieldDescriptor.JavaType.INT ? (Object) value.intValue()
        : (Object) value.longValue();
  }

  /**
   * The integer forms YAML 1.1 resolves as {@code !!int} and Kubernetes' YAML reader accepts:
   * decimal, {@code 0x} hex, {@code 0o} and leading-zero octal, {@code 0b} binary, {@code _} separators.
   * Null for forms it does not (sexagesimal {@code 1:30}).
   */
  static BigInteger parseYamlInteger(String text) {
    String t = text.replace("_", "");
    boolean negative = t.startsWith("-");
    if (t.startsWith("-") || t.startsWith("+")) {
      t = t.substring(1);
    }
    try {
      BigInteger magnitude;
      if (t.startsWith("0x")) {
        magnitude = new BigInteger(t.substring(2), 16);
      } else if (t.startsWith("0o")) {
        magnitude = new BigInteger(t.substring(2), 8);
      } else if (t.startsWith("0b")) {
        magnitude = new BigInteger(t.substring(2), 2);
      } else if (t.length() > 1 && t.startsWith("0")) {
        magnitude = new BigInteger(t.substring(1), 8);
      } else {
        magnitude = new BigInteger(t);
      }
      return negative ? magnitude.negate() : magnitude;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String keyText(Node key) {
    return key instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL) ? scalar.getValue() : null;
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  private static boolean isNumber(ScalarNode scalar) {
    return scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT);
  }

  /**
   * A scalar that reads as a string: plain or quoted text that YAML does not take for a number,
   * boolean or null. YAML 1.1 timestamps ({@code 2026-11-27T10:00:00Z} unquoted) count as strings,
   * as they do in Kubernetes (its YAML is converted to JSON, where they are strings).
   */
  static boolean isStringLike(Node node) {
    if (!(node instanceof ScalarNode)) {
      return false;
    }
    Tag tag = node.getTag();
    return !tag.equals(Tag.INT) && !tag.equals(Tag.FLOAT) && !tag.equals(Tag.BOOL) && !tag.equals(Tag.NULL);
  }

  private static String expected(FieldDescriptor field) {
    return switch (field.getJavaType()) {
      case INT, LONG -> "integer";
      case FLOAT, DOUBLE -> "number";
      case BOOLEAN -> "boolean";
      case STRING, BYTE_STRING, ENUM -> "string";
      case MESSAGE -> MessageSchema.isIntOrString(field.getMessageType()) ? "integer or string"
          : MessageSchema.isTimestamp(field.getMessageType()) ? "string" : "object";
    };
  }

  /** The YAML value in JSON's words, as Kubernetes' errors describe it. */
  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "object";
    }
    if (node instanceof SequenceNode) {
      return "array";
    }
    if (!(node instanceof ScalarNode scalar)) {
      return "unsupported YAML node";
    }
    Tag tag = scalar.getTag();
    if (tag.equals(Tag.NULL)) {
      return "null";
    }
    if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
      return "number " + scalar.getValue();
    }
    if (tag.equals(Tag.BOOL)) {
      return "boolean " + scalar.getValue();
    }
    return "string \"" + abbreviate(scalar.getValue()) + "\"";
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
