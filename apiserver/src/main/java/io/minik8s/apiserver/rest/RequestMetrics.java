package io.minik8s.apiserver.rest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minik8s.client.api.ApiException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * REST request count and latency per Kubernetes verb, resource and HTTP status, as
 * {@code apiserver_rest_request_duration_seconds{verb,resource,code}} (the gRPC API has its own
 * {@code apiserver_request_duration_seconds}). Watches and logs are counted when they end; their duration is
 * how long they lasted. Thread-safe.
 */
final class RequestMetrics {
  private final MeterRegistry registry;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(RestRequest request, int status, long startNanos) {
    String[] labels = labels(request);
    Timer.builder("apiserver_rest_request_duration_seconds")
        .description("REST API requests by Kubernetes verb, resource and HTTP status")
        .tag("verb", labels[0])
        .tag("resource", labels[1])
        .tag("code", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** {verb, resource}: {@code list pods}, {@code patch deployments/scale}; other paths: the method and "". */
  static String[] labels(RestRequest request) {
    String method = request.method().toLowerCase(Locale.ROOT);
    ApiPath path = ApiPath.parse(request.path()).orElse(null);
    if (!(path instanceof ApiPath.Resource resource)) {
      return new String[] {method, ""};
    }
    String name = resource.subresource().isEmpty() ? resource.resource()
        : resource.resource() + "/" + resource.subresource();
    String verb = switch (method) {
      case "get" -> resource.watch() || watchAsked(request) ? "watch" : resource.isCollection() ? "list" : "get";
      case "post" -> "create";
      case "put" -> "update";
      case "delete" -> resource.isCollection() ? "deletecollection" : "delete";
      default -> method;
    };
    return new String[] {verb, name};
  }

  /** {@code watch=...} as the handler read it; a value it refused (400) was no watch. */
  private static boolean watchAsked(RestRequest request) {
    try {
      return request.flag("watch");
    } catch (ApiException e) {
      return false;
    }
  }
}
