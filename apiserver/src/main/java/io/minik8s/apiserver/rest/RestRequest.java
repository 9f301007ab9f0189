package io.minik8s.apiserver.rest;

import io.minik8s.client.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP request as the REST API sees it, independent of Netty: the method, the raw path, the decoded
 * query parameters, the headers that matter and the whole body.
 *
 * @param query each parameter's values in order (a parameter given without a value has one empty value)
 * @param accept the Accept header, empty when absent
 * @param contentType the Content-Type header, empty when absent
 * @param host the Host header, empty when absent
 * @param upgrade the Upgrade header ({@code websocket}, {@code SPDY/3.1}), empty when absent
 */
record RestRequest(String method, String path, Map<String, List<String>> query, String accept, String contentType,
    String host, String upgrade, byte[] body) {
  /** Go's {@code strconv.ParseBool} spellings of true. */
  private static final Set<String> TRUE = Set.of("1", "t", "T", "true", "True", "TRUE");
  private static final Set<String> FALSE = Set.of("0", "f", "F", "false", "False", "FALSE");

  /** The first value of a query parameter, or {@code ""}. */
  String param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }

  boolean has(String name) {
    return query.containsKey(name);
  }

  /**
   * A boolean parameter as Kubernetes reads it (Go's {@code strconv.ParseBool}): {@code 1}, {@code t},
   * {@code true} in any of Go's spellings ({@code True}, what the Python client sends), or present without
   * a value; {@code 0}, {@code f}, {@code false} likewise.
   *
   * @throws ApiException BadRequest naming the parameter for any other value ({@code watch=yes})
   */
  boolean flag(String name) {
    if (!query.containsKey(name)) {
      return false;
    }
    String v = param(name);
    if (v.isEmpty() || TRUE.contains(v)) {
      return true;
    }
    if (FALSE.contains(v)) {
      return false;
    }
    throw ApiException.badRequest(name + ": invalid value \"" + v + "\": strconv.ParseBool: parsing \"" + v
        + "\": invalid syntax");
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The media type of the body without parameters, lower case: {@code application/json}. */
  String mediaType() {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
  }
}
