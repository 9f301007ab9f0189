package io.minik8s.apiserver.rest;

import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI v3 documents kubectl reads before it sends an object: {@code /openapi/v3} (an index of one
 * document per group version) and {@code /openapi/v3/api/v1}, {@code /openapi/v3/apis/{g}/{v}}.
 *
 * <p>Their one job is to say that every kind's PATCH (and POST, PUT) takes {@code fieldValidation}:
 * kubectl 1.32 then leaves the checking of unknown fields to the server (which always decodes strictly)
 * instead of validating client-side against schemas. So the documents carry the operations and their
 * parameters but no schemas ({@code components.schemas} is empty); kubectl then computes strategic merge
 * patches from its built-in types, whose merge keys the server's
 * {@link io.minik8s.apiserver.rest.patch.PatchStrategy} mirrors. {@code /openapi/v2} is not served; kubectl
 * only falls back to it when v3 fails.
 *
 * <p>Built once; immutable and thread-safe.
 */
final class OpenApi {
  private static final List<String> WRITE_PARAMETERS = List.of("dryRun", "fieldManager", "fieldValidation");
  private static final List<String> PATCH_TYPES = List.of("application/json-patch+json",
      "application/merge-patch+json", "application/strategic-merge-patch+json", ServerSideApply.MEDIA_TYPE);

  private final Map<String, Map<String, Object>> documents = new LinkedHashMap<>();
  private final Map<String, Object> index;

  OpenApi() {
    Map<String, Object> paths = new LinkedHashMap<>();
    for (String groupVersion : Discovery.groupVersions()) {
      String prefix = groupVersion.contains("/") ? "apis/" + groupVersion : "api/" + groupVersion;
      Map<String, Object> document = document(groupVersion);
      documents.put(prefix, document);
      paths.put(prefix, Map.of("serverRelativeURL", "/openapi/v3/" + prefix + "?hash=" + hash(document)));
    }
    index = Map.of("paths", paths);
  }

  Map<String, Object> index() {
    return index;
  }

  Optional<Map<String, Object>> document(String group, String version) {
    String prefix = group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    return Optional.ofNullable(documents.get(prefix));
  }

  private static Map<String, Object> document(String groupVersion) {
    Map<String, Object> paths = new LinkedHashMap<>();
    for (Kind<?> kind : Kinds.all()) {
      if (!kind.apiVersion().equals(groupVersion)) {
        continue;
      }
      String base = (kind.group().isEmpty() ? "/api/" : "/apis/") + groupVersion
          + (kind.namespaced() ? "/namespaces/{namespace}/" : "/") + kind.resource();
      paths.put(base, Map.of("post", operation(kind, "post", false)));
      paths.put(base + "/{name}", Map.of("put", operation(kind, "put", false), "patch", operation(kind, "patch", true)));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("openapi", "3.0.0");
    out.put("info", Map.of("title", "minik8s", "version", "v1.32.0"));
    out.put("paths", paths);
    out.put("components", Map.of("schemas", Map.of()));
    return out;
  }

  private static Map<String, Object> operation(Kind<?> kind, String verb, boolean patch) {
    Map<String, Object> gvk = new LinkedHashMap<>();
    gvk.put("group", kind.group());
    gvk.put("version", kind.apiVersion().substring(kind.apiVersion().indexOf('/') + 1));
    gvk.put("kind", kind.kind());
    Map<String, Object> content = new LinkedHashMap<>();
    for (String type : patch ? PATCH_TYPES : List.of("application/json")) {
      content.put(type, Map.of("schema", Map.of("type", "object")));
    }
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("operationId", verb + kind.kind());
    op.put("parameters", WRITE_PARAMETERS.stream()
        .map(name -> Map.of("name", name, "in", "query", "schema", Map.of("type", "string", "uniqueItems", true)))
        .toList());
    op.put("requestBody", Map.of("content", content, "required", true));
    op.put("responses", Map.of("200", Map.of("description", "OK")));
    op.put("x-kubernetes-action", verb.equals("post") ? "post" : verb.equals("put") ? "put" : "patch");
    op.put("x-kubernetes-group-version-kind", gvk);
    return op;
  }

  private static String hash(Map<String, Object> document) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512")
          .digest(new ObjectJson().bytes(document));
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is always available", e);
    }
  }
}
