package io.minik8s.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.minik8s.client.api.ApiException;

/**
 * A delete's options, from a {@code DeleteOptions} body (what kubectl sends) and the query parameters
 * {@code gracePeriodSeconds}, {@code propagationPolicy}, {@code orphanDependents} and {@code dryRun}, the
 * query winning where both are given, as in Kubernetes.
 *
 * @param gracePeriodSeconds null: the object's own
 * @param propagationPolicy "" (the kind's default), Background, Foreground or Orphan
 */
record DeleteOptions(Long gracePeriodSeconds, String preconditionUid, String preconditionResourceVersion,
    String propagationPolicy, boolean dryRun) {

  /** @param decodedBody the body when it was not JSON (protobuf), as JSON; null to read the body as JSON */
  static DeleteOptions from(RestRequest request, JsonNode decodedBody) {
    Long grace = null;
    String uid = "";
    String resourceVersion = "";
    String propagation = "";
    boolean dryRun = false;
    if (decodedBody != null || request.body().length > 0) {
      JsonNode body = decodedBody != null ? decodedBody : ObjectJson.tree(request.body());
      if (!body.isObject()) {
        throw ApiException.badRequest("DeleteOptions: expected a JSON object");
      }
      JsonNode g = body.get("gracePeriodSeconds");
      if (g != null && !g.isNull()) {
        if (!g.isIntegralNumber()) {
          throw ApiException.badRequest("DeleteOptions.gracePeriodSeconds: expected an integer, got " + g);
        }
        grace = g.longValue();
      }
      uid = body.path("preconditions").path("uid").asText("");
      resourceVersion = body.path("preconditions").path("resourceVersion").asText("");
      propagation = body.path("propagationPolicy").asText("");
      if (propagation.isEmpty() && body.path("orphanDependents").asBoolean(false)) {
        propagation = "Orphan";
      }
      for (JsonNode d : body.path("dryRun")) {
        dryRun |= DryRun.parse(d.asText());
      }
    }
    if (request.has("gracePeriodSeconds")) {
      try {
        grace = Long.parseLong(request.param("gracePeriodSeconds"));
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("gracePeriodSeconds: expected an integer, got \""
            + request.param("gracePeriodSeconds") + "\"");
      }
    }
    if (request.has("propagationPolicy")) {
      propagation = request.param("propagationPolicy");
    } else if (request.flag("orphanDependents") && propagation.isEmpty()) {
      propagation = "Orphan";
    }
    if (request.has("dryRun")) {
      dryRun |= DryRun.parse(request.param("dryRun"));
    }
    return new DeleteOptions(grace, uid, resourceVersion, propagation, dryRun);
  }

  /** Kubernetes' {@code dryRun}: {@code All}, or nothing. */
  static final class DryRun {
    private DryRun() {}

    static boolean parse(String value) {
      if (value.isEmpty()) {
        return false;
      }
      if (!value.equals("All")) {
        throw ApiException.badRequest("dryRun: Unsupported value: \"" + value + "\": supported values: \"All\"");
      }
      return true;
    }

    static boolean of(RestRequest request) {
      boolean dryRun = false;
      for (String value : request.query().getOrDefault("dryRun", java.util.List.of())) {
        dryRun |= parse(value);
      }
      return dryRun;
    }
  }
}
