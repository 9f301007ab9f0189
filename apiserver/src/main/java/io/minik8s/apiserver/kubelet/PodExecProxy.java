package io.minik8s.apiserver.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minik8s.apiserver.registry.Registries;
import io.minik8s.client.api.ApiException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pods/exec without a terminal: runs a command in a container to its end through the kubelet of the pod's
 * node, which runs it with the CRI's {@code ExecSync}, and returns its exit code and output.
 *
 * <p>The kubelet's side: {@code POST /exec/{namespace}/{pod}/{container}} with
 * {@code {"command": [...], "timeoutSeconds": n}} answers 200 with
 * {@code {"exitCode": n, "stdout": "<base64>", "stderr": "<base64>"}}, or an error status with
 * {@code {"message": "..."}} (a plain text reason is taken too). ExecSync gives no standard input and no terminal, so neither is offered. Thread-safe.
 */
public final class PodExecProxy {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ContainerTargets targets;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public PodExecProxy(Registries registries) {
    this.targets = new ContainerTargets(registries);
  }

  /** How a command ended. */
  public record Result(int exitCode, byte[] stdout, byte[] stderr) {}

  /** The container to run in (blocking); its errors come before anything runs. */
  public ContainerTargets.Target target(String namespace, String pod, String container) {
    return targets.resolve(namespace, pod, container);
  }

  /**
   * Runs {@code command} in the container and waits for it (blocking), for at most {@code timeout} on the
   * node (plus the time to reach it).
   */
  public Result run(ContainerTargets.Target target, List<String> command, Duration timeout) {
    String pod = target.pod().getMetadata().getName();
    try {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("command", command);
      body.put("timeoutSeconds", timeout.toSeconds());
      HttpRequest request = HttpRequest.newBuilder(target.uri("exec", ""))
          .timeout(timeout.plusSeconds(10))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
          .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        String message = errorMessage(response.body());
        throw ApiException.of(response.statusCode() == 404 ? ApiException.NOT_FOUND : ApiException.BAD_REQUEST,
            response.statusCode() == 404 ? 404 : 400,
            message.isEmpty() ? "the kubelet answered " + response.statusCode() : message);
      }
      JsonNode result = JSON.readTree(response.body());
      Base64.Decoder base64 = Base64.getDecoder();
      return new Result(result.path("exitCode").asInt(), base64.decode(result.path("stdout").asText("")),
          base64.decode(result.path("stderr").asText("")));
    } catch (IOException e) {
      throw ApiException.unavailable("cannot run a command in pod " + pod + " through its kubelet: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted while running a command in pod " + pod, e);
    }
  }

  /** The kubelet's reason: the {@code message} of a JSON body, else the body as text. */
  private static String errorMessage(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.path("message").isTextual()) {
        return json.get("message").asText();
      }
    } catch (IOException e) {
      // not JSON: the text is the reason
    }
    return body.trim();
  }
}
