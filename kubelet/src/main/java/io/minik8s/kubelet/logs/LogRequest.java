package io.minik8s.kubelet.logs;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;

/**
 * A request for a container's log: {@code /containerLogs/{namespace}/{pod}/{container}} with the query
 * parameters of {@code kubectl logs}: {@code follow}, {@code tailLines}, {@code previous},
 * {@code timestamps}.
 *
 * @param tailLines how many of the last lines; negative for all
 */
public record LogRequest(String namespace, String pod, String container, boolean follow, long tailLines,
                         boolean previous, boolean timestamps) {
  public static final String PREFIX = "/containerLogs/";

  /**
   * Parses a request URI.
   *
   * @throws IllegalArgumentException if the path is not a container log path or a parameter is malformed
   */
  public static LogRequest parse(String uri) {
    QueryStringDecoder q = new QueryStringDecoder(uri);
    if (!q.path().startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a container log path: " + q.path());
    }
    String[] parts = q.path().substring(PREFIX.length()).split("/");
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new IllegalArgumentException("want /containerLogs/{namespace}/{pod}/{container}, got " + q.path());
    }
    Map<String, List<String>> p = q.parameters();
    long tail = -1;
    if (p.containsKey("tailLines")) {
      try {
        tail = Long.parseLong(p.get("tailLines").get(0));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("tailLines must be a number, got " + p.get("tailLines").get(0));
      }
      if (tail < 0) {
        throw new IllegalArgumentException("tailLines must be >= 0, got " + tail);
      }
    }
    return new LogRequest(parts[0], parts[1], parts[2], flag(p, "follow"), tail, flag(p, "previous"),
        flag(p, "timestamps"));
  }

  private static boolean flag(Map<String, List<String>> p, String name) {
    List<String> v = p.get(name);
    if (v == null) {
      return false;
    }
    String s = v.get(0);
    return s.isEmpty() || s.equalsIgnoreCase("true") || s.equals("1");
  }
}
