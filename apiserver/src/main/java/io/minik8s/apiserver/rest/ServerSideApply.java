package io.minik8s.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.io.IOException;

/**
 * A minimal server-side apply ({@code PATCH} with {@code application/apply-patch+yaml}, what
 * {@code kubectl apply --server-side} sends): the applied configuration creates the object when it does not
 * exist, and is otherwise merged into it as a strategic merge patch (lists with merge keys merged by key).
 *
 * <p>What it does not do: minik8s keeps no {@code managedFields}, so there are no field managers and no
 * conflicts between them ({@code force} changes nothing), and a field left out of a later configuration is
 * left as it is (Kubernetes removes the fields that the same manager applied before). Pure and thread-safe.
 */
final class ServerSideApply {
  static final String MEDIA_TYPE = "application/apply-patch+yaml";
  private static final YAMLMapper YAML = new YAMLMapper();

  private ServerSideApply() {}

  static boolean requested(RestRequest request) {
    return request.mediaType().equals(MEDIA_TYPE);
  }

  /**
   * The applied configuration, checked as Kubernetes checks it: a {@code fieldManager} is required, and
   * the configuration must be an object of the kind the URL names.
   *
   * @throws ApiException Invalid without a fieldManager, BadRequest for a body that is not such an object
   */
  static JsonNode configuration(RestRequest request, Kind<?> kind) {
    if (request.param("fieldManager").isEmpty()) {
      throw ApiException.of(ApiException.INVALID, 422, "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
          + "Required value: is required for apply patch");
    }
    JsonNode configuration;
    try {
      configuration = YAML.readTree(request.body());
    } catch (IOException e) {
      throw ApiException.badRequest("error decoding YAML: " + e.getMessage());
    }
    if (configuration == null || !configuration.isObject()) {
      throw ApiException.badRequest("the applied configuration must be an object");
    }
    String apiVersion = configuration.path("apiVersion").asText("");
    String kindName = configuration.path("kind").asText("");
    if (!apiVersion.equals(kind.apiVersion()) || !kindName.equals(kind.kind())) {
      throw ApiException.badRequest("the applied configuration is a " + (kindName.isEmpty() ? "\"\"" : kindName)
          + " in \"" + apiVersion + "\", the URL names a " + kind.kind() + " in \"" + kind.apiVersion() + "\"");
    }
    return configuration;
  }
}
