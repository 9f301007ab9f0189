package io.minik8s.client.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.minik8s.api.IntOrString;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Writes API objects as Kubernetes writes them: {@code apiVersion} and {@code kind} first, then the
 * fields in .proto order under their JSON names; fields at their proto3 default are left out (like
 * Kubernetes' {@code omitempty}) except {@code optional} fields that are set, which are written even
 * when zero; map keys sorted; times as RFC 3339 in UTC; IntOrString as a bare number or string;
 * int64 as a JSON number (not protobuf JSON's string).
 *
 * <p>{@link #writingRequiredFields()} gives an encoder that also writes, at their zero value, the fields
 * that Kubernetes always writes (no {@code omitempty} in its Go types, {@code required} in its OpenAPI):
 * {@code ready: false}, {@code restartCount: 0}, {@code exitCode: 0}, a ReplicaSet's {@code replicas: 0}.
 * Clients generated from the OpenAPI (the Python client) refuse an object that lacks one; the REST API
 * writes with it.
 *
 * <p>Whatever this writes, {@link ManifestDecoder} reads back to an equal message. Stateless and thread-safe.
 */
public final class ManifestEncoder {
  /**
   * The proto fields (full names) that Kubernetes' JSON always has, among those that a proto3 scalar
   * without presence could leave out: the scalar fields that Kubernetes' OpenAPI marks as required.
   */
  static final java.util.Set<String> REQUIRED_FIELDS = java.util.Set.of(
      "minik8s.api.ContainerStatus.name", "minik8s.api.ContainerStatus.ready",
      "minik8s.api.ContainerStatus.restart_count", "minik8s.api.ContainerStatus.image",
      "minik8s.api.ContainerStatus.image_id",
      "minik8s.api.ContainerStateTerminated.exit_code",
      "minik8s.api.ReplicaSetStatus.replicas",
      "minik8s.api.NodeSystemInfo.machine_id", "minik8s.api.NodeSystemInfo.system_uuid",
      "minik8s.api.NodeSystemInfo.boot_id", "minik8s.api.NodeSystemInfo.kernel_version",
      "minik8s.api.NodeSystemInfo.os_image", "minik8s.api.NodeSystemInfo.container_runtime_version",
      "minik8s.api.NodeSystemInfo.kubelet_version", "minik8s.api.NodeSystemInfo.kube_proxy_version",
      "minik8s.api.NodeSystemInfo.operating_system", "minik8s.api.NodeSystemInfo.architecture",
      "minik8s.api.DaemonEndpoint.port",
      "minik8s.api.NodeAddress.type", "minik8s.api.NodeAddress.address",
      "minik8s.api.NodeCondition.type", "minik8s.api.NodeCondition.status",
      "minik8s.api.Taint.key", "minik8s.api.Taint.effect",
      "minik8s.api.PodCondition.type", "minik8s.api.PodCondition.status",
      "minik8s.api.DeploymentCondition.type", "minik8s.api.DeploymentCondition.status",
      "minik8s.api.ReplicaSetCondition.type", "minik8s.api.ReplicaSetCondition.status",
      "minik8s.api.Container.name", "minik8s.api.ContainerPort.container_port", "minik8s.api.EnvVar.name",
      "minik8s.api.HTTPHeader.name", "minik8s.api.HTTPHeader.value",
      "minik8s.api.ServicePort.port", "minik8s.api.EndpointAddress.ip", "minik8s.api.EndpointPort.port",
      "minik8s.api.OwnerReference.api_version", "minik8s.api.OwnerReference.kind",
      "minik8s.api.OwnerReference.name", "minik8s.api.OwnerReference.uid",
      "minik8s.api.LabelSelectorRequirement.key", "minik8s.api.LabelSelectorRequirement.operator");

  private final boolean requiredFields;

  /** An encoder that leaves out every field at its proto3 default (what manifests and mkctl show). */
  public ManifestEncoder() {
    this(false);
  }

  private ManifestEncoder(boolean requiredFields) {
    this.requiredFields = requiredFields;
  }

  /** An encoder that writes Kubernetes' required fields even at their zero value (see the class comment). */
  public static ManifestEncoder writingRequiredFields() {
    return new ManifestEncoder(true);
  }

  private static final Map<Descriptor, Kind<?>> KINDS = Kinds.all().stream()
      .collect(Collectors.toMap(Kind::descriptor, Function.identity()));

  private static final ObjectWriter COMPACT_JSON = new ObjectMapper().writer();
  private static final ObjectWriter PRETTY_JSON = new ObjectMapper().writer(kubectlPrettyPrinter());
  private static final ObjectWriter YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .stringQuotingChecker(new KeepStringsStrings())
      .build()).writer();

  /** Indented JSON laid out like {@code kubectl get -o json}. */
  public String toJson(Message object) {
    return write(PRETTY_JSON, toMap(object));
  }

  /** Indented JSON of a {@code kind: List} holding {@code objects}. */
  public String toJson(List<? extends Message> objects) {
    return write(PRETTY_JSON, toMap(objects));
  }

  /** JSON on one line. */
  public String toCompactJson(Message object) {
    return write(COMPACT_JSON, toMap(object));
  }

  /** Block-style YAML like {@code kubectl get -o yaml}, ending with a newline, without a {@code ---} marker. */
  public String toYaml(Message object) {
    return write(YAML, toMap(object));
  }

  /** YAML of a {@code kind: List} holding {@code objects}, like {@code kubectl get -o yaml} for several. */
  public String toYaml(List<? extends Message> objects) {
    return write(YAML, toMap(objects));
  }

  /**
   * The object as plain Java values (String, Integer, Long, Boolean, Double, List, Map) in the order
   * they are written. Only an API object (a message of a known {@link Kind}) gets {@code apiVersion}
   * and {@code kind}; any other message (a PodSpec, an ObjectMeta) gets just its fields.
   *
   * @return a new map that the caller owns
   */
  public Map<String, Object> toMap(Message object) {
    Map<String, Object> out = new LinkedHashMap<>();
    Kind<?> kind = KINDS.get(object.getDescriptorForType());
    if (kind != null) {
      out.put("apiVersion", kind.apiVersion());
      out.put("kind", kind.kind());
    }
    writeFields(object, out);
    return out;
  }

  /** A {@code kind: List} (apiVersion v1) whose items are {@code objects}, each with its own apiVersion and kind. */
  public Map<String, Object> toMap(List<? extends Message> objects) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("apiVersion", "v1");
    out.put("kind", "List");
    List<Object> items = new ArrayList<>(objects.size());
    for (Message object : objects) {
      items.add(toMap(object));
    }
    out.put("items", items);
    return out;
  }

  private void writeFields(Message message, Map<String, Object> out) {
    for (FieldDescriptor field : MessageSchema.of(message.getDescriptorForType()).fields()) {
      if (field.isMapField()) {
        if (message.getRepeatedFieldCount(field) > 0) {
          out.put(field.getJsonName(), mapValue(message, field));
        }
      } else if (field.isRepeated()) {
        int count = message.getRepeatedFieldCount(field);
        if (count > 0) {
          List<Object> list = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            list.add(value(field, message.getRepeatedField(field, i)));
          }
          out.put(field.getJsonName(), list);
        }
      } else if (message.hasField(field)
          || (requiredFields && REQUIRED_FIELDS.contains(field.getFullName()))) {
        // hasField is false for a proto3 scalar at its default, true for a set optional or message field.
        Object value = value(field, message.getField(field));
        if (value != null) {
          out.put(field.getJsonName(), value);
        }
      }
    }
  }

  private Map<String, Object> mapValue(Message message, FieldDescriptor field) {
    Descriptor entryType = field.getMessageType();
    FieldDescriptor keyField = entryType.findFieldByNumber(1);
    FieldDescriptor valueField = entryType.findFieldByNumber(2);
    Map<String, Object> sorted = new TreeMap<>();
    for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
      Message entry = (Message) message.getRepeatedField(field, i);
      sorted.put(String.valueOf(value(keyField, entry.getField(keyField))),
          value(valueField, entry.getField(valueField)));
    }
    return new LinkedHashMap<>(sorted);
  }

  /** One value (for repeated fields: one element) as a plain Java value; null for an empty IntOrString. */
  private Object value(FieldDescriptor field, Object value) {
    switch (field.getJavaType()) {
      case MESSAGE: {
        Message message = (Message) value;
        Descriptor type = message.getDescriptorForType();
        if (MessageSchema.isIntOrString(type)) {
          IntOrString intOrString = (IntOrString) message;
          return switch (intOrString.getValueCase()) {
            case INT_VAL -> intOrString.getIntVal();
            case STR_VAL -> intOrString.getStrVal();
            case VALUE_NOT_SET -> null;
          };
        }
        if (MessageSchema.isTimestamp(type)) {
          return Rfc3339.format((Timestamp) message);
        }
        Map<String, Object> nested = new LinkedHashMap<>();
        writeFields(message, nested);
        return nested;
      }
      case ENUM:
        return ((EnumValueDescriptor) value).getName();
      case BYTE_STRING:
        return Base64.getEncoder().encodeToString(((ByteString) value).toByteArray());
      case INT:
        return switch (field.getType()) {
          case UINT32, FIXED32 -> Integer.toUnsignedLong((Integer) value);
          default -> value;
        };
      case LONG:
        return switch (field.getType()) {
          case UINT64, FIXED64 -> new BigInteger(Long.toUnsignedString((Long) value));
          default -> value;
        };
      default:
        return value;
    }
  }

  private static String write(ObjectWriter writer, Object value) {
    try {
      return writer.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // Plain maps, lists, strings and numbers always serialize; this would be a bug here.
      throw new UncheckedIOException(e);
    }
  }

  private static DefaultPrettyPrinter kubectlPrettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    return new DefaultPrettyPrinter(Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
        .withObjectEmptySeparator("")
        .withArrayEmptySeparator(""))
        .withObjectIndenter(indenter)
        .withArrayIndenter(indenter);
  }

  /**
   * Quotes every string that plain YAML would read as something else: beyond Jackson's own checks
   * (reserved words, special characters) it asks SnakeYAML's YAML 1.1 resolver, the one
   * {@link ManifestDecoder} reads with, so {@code "1e3"}, {@code "0x1F"}, {@code "1_000"},
   * {@code "on"} and timestamps come back as strings.
   */
  private static final class KeepStringsStrings extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;
    /** Only read after construction, so safe to share. */
    private static final Resolver RESOLVER = new Resolver();

    @Override
    public boolean needToQuoteName(String name) {
      return super.needToQuoteName(name) || !readsAsString(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || !readsAsString(value);
    }

    private static boolean readsAsString(String plain) {
      return RESOLVER.resolve(NodeId.scalar, plain, true).equals(Tag.STR);
    }
  }
}
