package io.minik8s.apiserver.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import io.minik8s.api.Status;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.codec.ManifestDecoder;
import io.minik8s.client.codec.ManifestEncoder;
import io.minik8s.client.codec.ManifestException;
import io.minik8s.client.codec.ManifestProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON of the REST API: objects, lists and {@code Status} out, objects in, all through the
 * manifest codec so that the API speaks exactly the JSON that manifests and {@code mkctl} use (quantities,
 * IntOrString, RFC 3339 times, unknown and unsupported fields named with their paths).
 *
 * <p>Decoding is always strict, whatever {@code fieldValidation} asks: an unknown or unsupported field is an
 * error that names it (minik8s never drops a field silently). Stateless and thread-safe.
 */
final class ObjectJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final ManifestEncoder encoder = ManifestEncoder.writingRequiredFields();
  private final ManifestDecoder decoder = new ManifestDecoder();

  /** The object with {@code apiVersion} and {@code kind}, as plain maps and lists. */
  Map<String, Object> object(Message object) {
    return encoder.toMap(object);
  }

  /** Any message (an ObjectMeta, a Status) as plain maps and lists, without apiVersion and kind. */
  Map<String, Object> fields(Message message) {
    return encoder.toMap(message);
  }

  /** {@code PodList} and friends: {@code metadata.resourceVersion} to watch from, {@code continue} for more. */
  Map<String, Object> list(Kind<?> kind, List<? extends Message> items, long revision, String continueToken) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", kind.kind() + "List");
    out.put("apiVersion", kind.apiVersion());
    out.put("metadata", listMeta(revision, continueToken));
    List<Object> encoded = new ArrayList<>(items.size());
    for (Message item : items) {
      encoded.add(encoder.toMap(item));
    }
    out.put("items", encoded);
    return out;
  }

  static Map<String, Object> listMeta(long revision, String continueToken) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("resourceVersion", Long.toString(revision));
    if (continueToken != null && !continueToken.isEmpty()) {
      meta.put("continue", continueToken);
    }
    return meta;
  }

  /** A {@code meta.k8s.io/v1}-style {@code Status} (kubectl reads it as {@code v1}). */
  Map<String, Object> status(Status status) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", "Status");
    out.put("apiVersion", "v1");
    out.put("metadata", Map.of());
    out.putAll(encoder.toMap(status));
    return out;
  }

  byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      // Plain maps, lists, strings and numbers always serialize; this would be a bug here.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes a request body (JSON, or YAML) as an object of {@code kind}; apiVersion and kind may be left out.
   *
   * @throws ApiException BadRequest naming every problem, worded as Kubernetes words decoding errors
   */
  <T extends Message> T decode(Kind<T> kind, byte[] body) {
    return decode(kind, new String(body, StandardCharsets.UTF_8));
  }

  <T extends Message> T decode(Kind<T> kind, String text) {
    try {
      return decoder.decode(kind, "request body", text);
    } catch (ManifestException e) {
      throw ApiException.badRequest(kind.kind() + " in version \"" + version(kind) + "\" cannot be handled as a "
          + kind.kind() + ": " + describe(e.problems()));
    }
  }

  /** Any JSON body as a tree (patches, DeleteOptions, Scale). */
  static JsonNode tree(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest("the request body is empty");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("the request body cannot be read: " + e.getMessage());
    }
  }

  /**
   * {@code strict decoding error: unknown field "spec.colour"} when only unknown fields are wrong (what
   * Kubernetes says with {@code fieldValidation=Strict}); otherwise every problem with its path.
   */
  static String describe(List<ManifestProblem> problems) {
    boolean onlyUnknown = problems.stream().allMatch(p -> isUnknown(p.message()) && !p.fieldPath().isEmpty());
    if (onlyUnknown) {
      return "strict decoding error: " + problems.stream()
          .map(p -> "unknown field \"" + p.fieldPath() + "\"" + hint(p.message()))
          .collect(Collectors.joining(", "));
    }
    return problems.stream()
        .map(p -> p.fieldPath().isEmpty() ? p.message() : p.fieldPath() + ": " + p.message())
        .collect(Collectors.joining(", "));
  }

  private static boolean isUnknown(String message) {
    return message.startsWith("unknown field") || message.equals("not supported by minik8s");
  }

  private static String hint(String message) {
    if (message.equals("not supported by minik8s")) {
      return " (not supported by minik8s)";
    }
    return message.substring("unknown field".length());
  }

  private static String version(Kind<?> kind) {
    String apiVersion = kind.apiVersion();
    return apiVersion.substring(apiVersion.indexOf('/') + 1);
  }
}
