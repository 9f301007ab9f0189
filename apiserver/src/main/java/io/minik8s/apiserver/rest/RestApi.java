package io.minik8s.apiserver.rest;

import io.minik8s.apiserver.kubelet.PodLogProxy;
import io.minik8s.apiserver.service.ApiOperations;
import io.minik8s.client.api.ApiException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API without its transport: a {@link RestRequest} in, a {@link RestResponse} out. Routes by
 * {@link ApiPath} to discovery, OpenAPI, version and health documents, and to {@link ResourceEndpoints}
 * for resources; renders every failure as a Kubernetes {@code Status} with its HTTP code (an unexpected
 * exception is a 500 InternalError, logged).
 *
 * <p>Thread-safe; {@link #handle} may block on etcd, so the transport calls it off its I/O threads.
 */
final class RestApi {
  private static final Logger log = LoggerFactory.getLogger(RestApi.class);

  private final ObjectJson json = new ObjectJson();
  private final ResourceEndpoints resources;
  private final OpenApi openApi = new OpenApi();
  private final String gitVersion;
  private final String platform;

  RestApi(ApiOperations operations, PodLogProxy logs, ExecEndpoint execs, String gitVersion, String platform,
      Clock clock, ScheduledExecutorService timer) {
    this.resources = new ResourceEndpoints(operations, logs, execs, json, new TableConverter(clock, json), timer);
    this.gitVersion = gitVersion;
    this.platform = platform;
  }

  RestResponse handle(RestRequest request) {
    try {
      ApiPath path = ApiPath.parse(request.path()).orElseThrow(RestErrors::notFound);
      if (path instanceof ApiPath.Resource resource) {
        return resources.handle(request, resource);
      }
      if (!request.method().equals("GET")) {
        throw RestErrors.methodNotAllowed(request.method());
      }
      return document(request, path);
    } catch (ApiException e) {
      return error(e);
    } catch (RuntimeException e) {
      log.error("{} {} failed", request.method(), request.path(), e);
      return error(ApiException.internal("an error on the server (\"" + e + "\") has prevented the request from "
          + "succeeding", e));
    }
  }

  private RestResponse document(RestRequest request, ApiPath path) {
    if (path instanceof ApiPath.Health) {
      return RestResponse.Full.text(200, "ok");
    }
    if (path instanceof ApiPath.Version) {
      return ok(Discovery.version(gitVersion, platform));
    }
    if (path instanceof ApiPath.CoreVersions) {
      return ok(Discovery.coreVersions(request.host()));
    }
    if (path instanceof ApiPath.Groups) {
      return ok(Discovery.groups());
    }
    if (path instanceof ApiPath.Group group) {
      return ok(found(Discovery.group(group.group())));
    }
    if (path instanceof ApiPath.Resources resources) {
      return ok(found(Discovery.resources(resources.group(), resources.version())));
    }
    if (path instanceof ApiPath.OpenApiV3Index) {
      return ok(openApi.index());
    }
    if (path instanceof ApiPath.OpenApiV3 document) {
      return ok(found(openApi.document(document.group(), document.version())));
    }
    throw RestErrors.notFound();
  }

  private static <T> T found(Optional<T> document) {
    return document.orElseThrow(RestErrors::notFound);
  }

  private RestResponse ok(Map<String, Object> body) {
    return RestResponse.Full.json(200, json.bytes(body));
  }

  /** A failure as Kubernetes answers it: a {@code Status} with its HTTP code. */
  RestResponse.Full error(ApiException e) {
    int code = e.code() >= 400 && e.code() < 600 ? e.code() : 500;
    return RestResponse.Full.json(code, json.bytes(json.status(e.status())));
  }
}
