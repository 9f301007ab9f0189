package io.minik8s.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import io.minik8s.api.LogsRequest;
import io.minik8s.api.Status;
import io.minik8s.apiserver.kubelet.PodLogProxy;
import io.minik8s.apiserver.service.ApiOperations;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.util.List;

/**
 * The subresources that are views or actions rather than the object itself: {@code scale} (the
 * {@code autoscaling/v1} Scale of Deployments and ReplicaSets: get, update, patch), {@code binding}
 * (pods: assign a node) and {@code log} (pods: the container's log, streamed). {@code exec} is a WebSocket,
 * upgraded by the transport ({@link ExecEndpoint}). Thread-safe.
 */
final class SubresourceEndpoints {
  private final ApiOperations operations;
  private final PodLogProxy logs;
  private final ExecEndpoint execs;
  private final ObjectJson json;

  SubresourceEndpoints(ApiOperations operations, PodLogProxy logs, ExecEndpoint execs, ObjectJson json) {
    this.operations = operations;
    this.logs = logs;
    this.execs = execs;
    this.json = json;
  }

  /** Serves {@code path.subresource()}, which discovery lists for {@code kind}. */
  <T extends Message> RestResponse handle(Kind<T> kind, RestRequest request, ApiPath.Resource path) {
    String method = request.method();
    switch (path.subresource()) {
      case "scale":
        return scale(kind, request, path);
      case "binding":
        if (!method.equals("POST")) {
          throw RestErrors.methodNotAllowed(method);
        }
        return bind(request, path);
      case "log":
        if (!method.equals("GET")) {
          throw RestErrors.methodNotAllowed(method);
        }
        return log(request, path);
      case "exec":
        // Served as a WebSocket by the transport (ExecEndpoint). Anything else learns why not, after the
        // request's own faults (kubectl retries a failed WebSocket with SPDY and reports that answer).
        execs.open(request);
        throw ApiException.badRequest(request.upgrade().toLowerCase(java.util.Locale.ROOT).startsWith("spdy")
            ? "minik8s serves exec as a WebSocket (v5.channel.k8s.io) only, not over " + request.upgrade()
            : "Upgrade request required");
      default:
        throw RestErrors.notFound();
    }
  }

  /** GET, PUT or PATCH of the Scale; writes change {@code spec.replicas} only. */
  private <T extends Message> RestResponse scale(Kind<T> kind, RestRequest request, ApiPath.Resource path) {
    String method = request.method();
    if (method.equals("GET")) {
      return ok(Scale.of(kind, operations.get(kind, path.namespace(), path.name())));
    }
    if (!method.equals("PUT") && !method.equals("PATCH")) {
      throw RestErrors.methodNotAllowed(method);
    }
    ResourceEndpoints.FieldValidation.check(request);
    boolean dryRun = DeleteOptions.DryRun.of(request);
    JsonNode body = ObjectJson.tree(request.body());
    T written = Patching.readChangeWrite(kind, () -> operations.get(kind, path.namespace(), path.name()), current -> {
      JsonNode scale = method.equals("PUT") ? body : Patching.apply(Patching.type(request),
          ObjectJson.MAPPER.valueToTree(Scale.of(kind, current)), body, kind);
      return Scale.apply(kind, current, scale);
    }, object -> operations.update(kind, object, dryRun));
    return ok(Scale.of(kind, written));
  }

  /** pods/binding: a {@code Binding} whose {@code target.name} is the node. */
  private RestResponse bind(RestRequest request, ApiPath.Resource path) {
    JsonNode binding = ObjectJson.tree(request.body());
    String node = binding.path("target").path("name").asText("");
    operations.bind(path.namespace(), path.name(), node, binding.path("metadata").path("uid").asText(""));
    return RestResponse.Full.json(201, json.bytes(json.status(Status.newBuilder().setStatus("Success")
        .setCode(201).build())));
  }

  /**
   * pods/log: the container's log as plain text, streamed from its kubelet ({@code follow} keeps it open).
   * Opened before the answer starts, so a missing pod or container is an ordinary error response.
   */
  private RestResponse log(RestRequest request, ApiPath.Resource path) {
    for (String unsupported : List.of("sinceSeconds", "sinceTime", "limitBytes")) {
      if (request.has(unsupported)) {
        throw ApiException.badRequest(unsupported + ": not supported by minik8s");
      }
    }
    LogsRequest.Builder logsRequest = LogsRequest.newBuilder().setNamespace(path.namespace()).setName(path.name())
        .setContainer(request.param("container")).setFollow(request.flag("follow"))
        .setPrevious(request.flag("previous")).setTimestamps(request.flag("timestamps"));
    if (request.has("tailLines")) {
      logsRequest.setTailLines(ResourceEndpoints.longParam(request, "tailLines"));
    }
    return new RestResponse.Streaming("text/plain", new LogStream(logs.open(logsRequest.build())));
  }

  private RestResponse ok(java.util.Map<String, Object> body) {
    return RestResponse.Full.json(200, json.bytes(body));
  }
}
