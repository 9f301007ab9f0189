package io.minik8s.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes' protobuf encoding of an object ({@code application/vnd.kubernetes.protobuf}: the
 * {@code k8s\0} magic, then a {@code runtime.Unknown} whose {@code raw} bytes are the object in Kubernetes'
 * own field numbering), which client-go's typed clients send, e.g. for {@code kubectl create deployment}.
 * The object becomes the JSON that the same object would have been, which then goes through the ordinary
 * JSON decoding, so validation and the naming of unsupported fields are exactly those of a JSON request.
 *
 * <p>Field numbers come from the table {@code kubernetes-protobuf-fields.txt}. Kubernetes' encoder writes
 * every non-pointer field, zero or not, where JSON leaves empty ones out; so a zero scalar, an empty string,
 * object or list is left out too, unless minik8s' field keeps presence ({@code optional}, like
 * {@code replicas}), where 0 means 0. A set field minik8s does not read stays in the JSON (its message
 * undecoded when the table lacks it), so that decoding names it as unsupported instead of dropping it.
 *
 * <p>The table is read once; decoding is stateless and thread-safe.
 */
final class KubernetesProtobuf {
  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.Time";
  private static final String MICRO_TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime";
  private static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
  private static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
  /** What stands for a set field of a message the table does not describe (never valid, always named). */
  private static final String UNREAD = "(set, in protobuf)";

  /** One field of a Kubernetes message. */
  record Field(int number, String name, boolean repeated, String type, String messageType, boolean inline) {}

  /** One Kubernetes message: its fields by number, and whether it is a map entry. */
  record MessageSpec(String name, Map<Integer, Field> fields, boolean mapEntry) {}

  private final Map<String, MessageSpec> messages;

  KubernetesProtobuf(Map<String, MessageSpec> messages) {
    this.messages = messages;
  }

  /** The table shipped with the API server. */
  static KubernetesProtobuf load() {
    try (InputStream in = KubernetesProtobuf.class.getResourceAsStream("kubernetes-protobuf-fields.txt")) {
      if (in == null) {
        throw new IllegalStateException("kubernetes-protobuf-fields.txt is missing from the class path");
      }
      return new KubernetesProtobuf(parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
          .lines().toList()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, MessageSpec> parse(List<String> lines) {
    Map<String, MessageSpec> out = new HashMap<>();
    MessageSpec current = null;
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] w = line.trim().split(" ");
      if (!line.startsWith(" ")) {
        current = new MessageSpec(w[0], new HashMap<>(), w.length > 1 && w[1].equals("map"));
        out.put(current.name(), current);
        continue;
      }
      boolean repeated = w[2].equals("repeated");
      int at = repeated ? 3 : 2;
      String type = w[at];
      String messageType = type.equals("message") ? w[at + 1] : null;
      boolean inline = w[w.length - 1].equals("inline");
      current.fields().put(Integer.parseInt(w[0]), new Field(Integer.parseInt(w[0]), w[1], repeated, type,
          messageType, inline));
    }
    return out;
  }

  /** The Kubernetes message of a kind: {@code k8s.io.api.apps.v1.Deployment}. */
  static String messageOf(Kind<?> kind) {
    String group = kind.group().isEmpty() ? "core" : kind.group().replace(".k8s.io", "");
    String version = kind.apiVersion().substring(kind.apiVersion().indexOf('/') + 1);
    return "k8s.io.api." + group + "." + version + "." + kind.kind();
  }

  /** What a protobuf body holds: its type and the object's own bytes. */
  private record Envelope(String apiVersion, String kind, byte[] raw) {}

  /**
   * The JSON of an object sent in Kubernetes' protobuf encoding.
   *
   * @throws ApiException BadRequest when the body is not such an object
   */
  ObjectNode toJson(Kind<?> kind, byte[] body) {
    MessageSpec spec = messages.get(messageOf(kind));
    if (spec == null) {
      throw ApiException.badRequest("minik8s does not read " + kind.kind() + " in protobuf");
    }
    try {
      Envelope envelope = envelope(body);
      ObjectNode object = NODES.objectNode();
      object.put("apiVersion", envelope.apiVersion().isEmpty() ? kind.apiVersion() : envelope.apiVersion());
      object.put("kind", envelope.kind().isEmpty() ? kind.kind() : envelope.kind());
      object.setAll(message(envelope.raw(), spec, kind.descriptor(), true));
      return object;
    } catch (IOException | RuntimeException e) {
      throw undecodable(kind.kind(), e);
    }
  }

  /**
   * The JSON of a {@code DeleteOptions} in protobuf. Nothing is left out: its numbers are pointers in
   * Kubernetes, sent only when set, so a {@code gracePeriodSeconds} of 0 means "now".
   */
  JsonNode deleteOptions(byte[] body) {
    try {
      return message(envelope(body).raw(), messages.get("k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions"), null,
          false);
    } catch (IOException | RuntimeException e) {
      throw undecodable("DeleteOptions", e);
    }
  }

  private static ApiException undecodable(String what, Exception e) {
    if (e instanceof ApiException api) {
      return api;
    }
    return ApiException.badRequest("the protobuf body (" + what + ") does not decode: " + e.getMessage());
  }

  private static Envelope envelope(byte[] body) throws IOException {
    if (body.length < MAGIC.length || body[0] != MAGIC[0] || body[1] != MAGIC[1] || body[2] != MAGIC[2]
        || body[3] != MAGIC[3]) {
      throw ApiException.badRequest("the protobuf body does not start with Kubernetes' magic number");
    }
    CodedInputStream unknown = CodedInputStream.newInstance(body, MAGIC.length, body.length - MAGIC.length);
    String apiVersion = "";
    String kind = "";
    byte[] raw = null;
    String encoding = "";
    for (int tag; (tag = unknown.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          CodedInputStream typeMeta = CodedInputStream.newInstance(unknown.readByteArray());
          for (int t; (t = typeMeta.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(t)) {
              case 1 -> apiVersion = typeMeta.readString();
              case 2 -> kind = typeMeta.readString();
              default -> typeMeta.skipField(t);
            }
          }
        }
        case 2 -> raw = unknown.readByteArray();
        case 3 -> encoding = unknown.readString();
        default -> unknown.skipField(tag);
      }
    }
    if (raw == null) {
      throw ApiException.badRequest("the protobuf body carries no object");
    }
    if (!encoding.isEmpty()) {
      throw ApiException.badRequest("protobuf bodies with content encoding \"" + encoding + "\" are not supported");
    }
    return new Envelope(apiVersion, kind, raw);
  }

  /** One message as JSON, with minik8s' message {@code ours} (null where it has none) deciding what is empty. */
  private ObjectNode message(byte[] bytes, MessageSpec spec, Descriptor ours, boolean omitEmpty) throws IOException {
    ObjectNode out = NODES.objectNode();
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    for (int tag; (tag = in.readTag()) != 0; ) {
      Field field = spec.fields().get(WireFormat.getTagFieldNumber(tag));
      if (field == null) {
        in.skipField(tag);
        continue;
      }
      FieldDescriptor mine = ours == null ? null : field(ours, field.name());
      if (field.inline()) {
        out.setAll(message(in.readByteArray(), messages.get(field.messageType()), ours, omitEmpty));
        continue;
      }
      if (field.repeated() && field.messageType() != null && isMapEntry(field.messageType())) {
        ObjectNode map = out.has(field.name()) ? (ObjectNode) out.get(field.name()) : out.putObject(field.name());
        mapEntry(in.readByteArray(), messages.get(field.messageType()), map);
        continue;
      }
      if (field.repeated() && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED
          && !field.type().equals("string") && !field.type().equals("bytes") && !field.type().equals("message")) {
        // A packed list of numbers or booleans.
        CodedInputStream packed = CodedInputStream.newInstance(in.readByteArray());
        while (!packed.isAtEnd()) {
          list(out, field.name()).add(scalar(packed, field.type()));
        }
        continue;
      }
      JsonNode value = value(in, field, mine, omitEmpty);
      if (field.repeated()) {
        list(out, field.name()).add(value == null ? NODES.nullNode() : value);
      } else if (value != null) {
        out.set(field.name(), value);
      }
    }
    if (omitEmpty) {
      dropEmpty(out, ours);
    }
    return out;
  }

  private JsonNode value(CodedInputStream in, Field field, FieldDescriptor mine, boolean omitEmpty)
      throws IOException {
    if (field.messageType() == null) {
      return scalar(in, field.type());
    }
    byte[] bytes = in.readByteArray();
    switch (field.messageType()) {
      case TIME:
      case MICRO_TIME:
        return time(bytes);
      case INT_OR_STRING:
        return intOrString(bytes);
      case QUANTITY:
        return quantity(bytes);
      default:
        MessageSpec spec = messages.get(field.messageType());
        if (spec == null) {
          return bytes.length == 0 ? null : NODES.textNode(UNREAD);
        }
        Descriptor nested = mine != null && mine.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            ? mine.getMessageType() : null;
        return message(bytes, spec, nested, omitEmpty);
    }
  }

  private JsonNode scalar(CodedInputStream in, String type) throws IOException {
    return switch (type) {
      case "string" -> NODES.textNode(in.readString());
      case "bytes" -> NODES.textNode(Base64.getEncoder().encodeToString(in.readByteArray()));
      case "bool" -> NODES.booleanNode(in.readBool());
      case "int32", "enum" -> NODES.numberNode(in.readInt32());
      case "sint32" -> NODES.numberNode(in.readSInt32());
      case "uint32" -> NODES.numberNode(Integer.toUnsignedLong(in.readUInt32()));
      case "int64" -> NODES.numberNode(in.readInt64());
      case "sint64" -> NODES.numberNode(in.readSInt64());
      case "uint64" -> NODES.numberNode(in.readUInt64());
      case "double" -> NODES.numberNode(in.readDouble());
      case "float" -> NODES.numberNode(in.readFloat());
      default -> throw new IllegalArgumentException("unexpected field type " + type);
    };
  }

  private void mapEntry(byte[] bytes, MessageSpec entry, ObjectNode map) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String key = "";
    JsonNode value = NODES.textNode("");
    for (int tag; (tag = in.readTag()) != 0; ) {
      Field field = entry.fields().get(WireFormat.getTagFieldNumber(tag));
      if (field == null) {
        in.skipField(tag);
      } else if (field.number() == 1) {
        key = in.readString();
      } else {
        value = value(in, field, null, true);
      }
    }
    map.set(key, value == null ? NODES.textNode("") : value);
  }

  /** The zero time (Go's) is no time, as in JSON (null). */
  private static JsonNode time(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    long seconds = 0;
    int nanos = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> seconds = in.readInt64();
        case 2 -> nanos = in.readInt32();
        default -> in.skipField(tag);
      }
    }
    if ((seconds == 0 && nanos == 0) || seconds == -62135596800L) {
      return null;
    }
    return NODES.textNode(Instant.ofEpochSecond(seconds, nanos).toString());
  }

  private static JsonNode intOrString(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    long type = 0;
    int intVal = 0;
    String strVal = "";
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> type = in.readInt64();
        case 2 -> intVal = in.readInt32();
        case 3 -> strVal = in.readString();
        default -> in.skipField(tag);
      }
    }
    return type == 0 ? NODES.numberNode(intVal) : NODES.textNode(strVal);
  }

  private static JsonNode quantity(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String text = "";
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        text = in.readString();
      } else {
        in.skipField(tag);
      }
    }
    return NODES.textNode(text);
  }

  /**
   * Leaves out what JSON would have left out: zero scalars, empty strings, objects and lists, except a zero
   * in a field that minik8s keeps presence for.
   */
  private static void dropEmpty(ObjectNode object, Descriptor ours) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      boolean empty = v.isContainerNode() ? v.isEmpty()
          : v.isTextual() ? v.asText().isEmpty()
          : v.isBoolean() ? !v.asBoolean()
          : v.isNumber() && v.asDouble() == 0;
      if (!empty) {
        continue;
      }
      FieldDescriptor mine = ours == null ? null : field(ours, e.getKey());
      boolean keepsPresence = mine != null && !mine.isRepeated() && mine.hasPresence()
          && mine.getJavaType() != FieldDescriptor.JavaType.MESSAGE;
      if (!keepsPresence) {
        it.remove();
      }
    }
  }

  private boolean isMapEntry(String messageType) {
    MessageSpec spec = messages.get(messageType);
    return spec != null && spec.mapEntry();
  }

  private static ArrayNode list(ObjectNode out, String name) {
    return out.has(name) ? (ArrayNode) out.get(name) : out.putArray(name);
  }

  private static FieldDescriptor field(Descriptor type, String jsonName) {
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJsonName().equals(jsonName)) {
        return f;
      }
    }
    return null;
  }
}
