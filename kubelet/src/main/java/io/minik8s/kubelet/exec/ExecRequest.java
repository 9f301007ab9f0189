package io.minik8s.kubelet.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A request to run a command: path {@code /exec/{namespace}/{pod}/{container}}, JSON body
 * {@code {"command": [...], "timeoutSeconds": n}}. A missing or non-positive timeout is {@link #DEFAULT_TIMEOUT}
 * (ExecSync needs a bound).
 */
public record ExecRequest(String namespace, String pod, String container, List<String> command, Duration timeout) {
  public static final String PREFIX = "/exec/";
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  public ExecRequest {
    command = List.copyOf(command);
  }

  /**
   * Parses a request.
   *
   * @throws ExecException (400) when the path or the body is malformed or the command is empty
   */
  public static ExecRequest parse(String uri, byte[] body) {
    String path = new QueryStringDecoder(uri).path();
    String[] parts = path.startsWith(PREFIX) ? path.substring(PREFIX.length()).split("/", -1) : new String[0];
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw ExecException.badRequest("want /exec/{namespace}/{pod}/{container}, got " + path);
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw ExecException.badRequest("the body is not JSON: " + e.getMessage());
    }
    if (json == null || !json.isObject() || !json.path("command").isArray()) {
      throw ExecException.badRequest("want a body {\"command\": [...], \"timeoutSeconds\": n}");
    }
    List<String> command = new ArrayList<>();
    for (JsonNode arg : json.get("command")) {
      if (!arg.isTextual()) {
        throw ExecException.badRequest("command arguments must be strings, got " + arg);
      }
      command.add(arg.asText());
    }
    if (command.isEmpty()) {
      throw ExecException.badRequest("you must specify at least 1 command");
    }
    long seconds = json.path("timeoutSeconds").asLong(0);
    return new ExecRequest(parts[0], parts[1], parts[2], command,
        seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TIMEOUT);
  }
}
