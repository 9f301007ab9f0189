package io.minik8s.apiserver.rest;

import io.minik8s.client.api.ApiException;

/** The errors of the REST layer itself, worded as Kubernetes words them. */
final class RestErrors {
  private RestErrors() {}

  /** A path that names nothing served. */
  static ApiException notFound() {
    return ApiException.of(ApiException.NOT_FOUND, 404, "the server could not find the requested resource");
  }

  /** A verb the path does not take. */
  static ApiException methodNotAllowed(String method) {
    return ApiException.of("MethodNotAllowed", 405, "the server does not allow this method on the requested "
        + "resource (" + method + ")");
  }
}
