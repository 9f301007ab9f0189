package io.minik8s.kubelet.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minik8s.kubelet.cri.ContainerSpec;
import io.minik8s.kubelet.cri.ExecResult;
import io.minik8s.kubelet.cri.FakeRuntime;
import io.minik8s.kubelet.cri.SandboxSpec;
import io.minik8s.kubelet.logs.LogServer;
import io.minik8s.kubelet.logs.RuntimeContainerLogs;
import io.minik8s.kubelet.runtime.PodLabels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /exec/...} over real HTTP on the kubelet's log server, the runtime a {@link FakeRuntime}. */
class ExecHandlerTest {
  private static final String IMAGE = "localhost/busybox:latest";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FakeRuntime runtime = new FakeRuntime().addImage(IMAGE);
  private final HttpClient http = HttpClient.newHttpClient();
  private LogServer server;
  private String containerId;

  @BeforeEach
  void start() throws Exception {
    containerId = runContainer("uid-1", "httpd");
    runtime.onExec((id, command) -> id.equals(containerId) && command.equals(List.of("cat", "/etc/hostname"))
        ? new ExecResult(0, "web-1\n", "")
        : new ExecResult(2, "", "sh: " + command.get(0) + ": not found\n"));
    server = new LogServer(new RuntimeContainerLogs(runtime), new RuntimeContainerExec(runtime))
        .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String runContainer(String uid, String name) {
    SandboxSpec pod = SandboxSpec.builder("web-1", "shop", uid).build();
    String sandbox = runtime.runSandbox(pod);
    String id = runtime.createContainer(sandbox, ContainerSpec.builder(name, IMAGE).labels(Map.of(
        PodLabels.POD_NAMESPACE, "shop", PodLabels.POD_NAME, "web-1", PodLabels.POD_UID, uid,
        PodLabels.CONTAINER_NAME, name)).build(), pod);
    runtime.startContainer(id);
    return id;
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String decoded(JsonNode node) {
    return new String(Base64.getDecoder().decode(node.asText()), StandardCharsets.UTF_8);
  }

  @Test
  void runsTheCommandInTheContainerAndAnswersItsExitCodeAndOutputInBase64() throws Exception {
    HttpResponse<String> r = post("/exec/shop/web-1/httpd", "{\"command\":[\"cat\",\"/etc/hostname\"],\"timeoutSeconds\":5}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("exitCode").asInt(-1)).isZero();
    assertThat(decoded(body.path("stdout"))).isEqualTo("web-1\n");
    assertThat(decoded(body.path("stderr"))).isEmpty();
  }

  @Test
  void aCommandThatFailsIsStillA200WithItsExitCodeAndStderr() throws Exception {
    HttpResponse<String> r = post("/exec/shop/web-1/httpd", "{\"command\":[\"nope\"]}");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("exitCode").asInt()).isEqualTo(2);
    assertThat(decoded(body.path("stderr"))).isEqualTo("sh: nope: not found\n");
  }

  @Test
  void binaryOutputArrivesByteForByte() throws Exception {
    byte[] gzipMagic = {(byte) 0x1f, (byte) 0x8b, 0x08, 0x00, (byte) 0xff, (byte) 0xfe};
    runtime.onExec((id, command) -> new ExecResult(0, com.google.protobuf.ByteString.copyFrom(gzipMagic),
        com.google.protobuf.ByteString.EMPTY));

    HttpResponse<String> r = post("/exec/shop/web-1/httpd", "{\"command\":[\"cat\",\"/backup.gz\"]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(java.util.Base64.getDecoder().decode(JSON.readTree(r.body()).path("stdout").asText()))
        .containsExactly(gzipMagic);
  }

  @Test
  void runsInTheNewestPodOfThatName() throws Exception {
    runtime.exitContainer(containerId, 0);
    containerId = runContainer("uid-2", "httpd"); // the pod re-created under the same name

    HttpResponse<String> r = post("/exec/shop/web-1/httpd", "{\"command\":[\"cat\",\"/etc/hostname\"]}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("exitCode").asInt(-1)).isZero();
  }

  @Test
  void anUnknownPodOrContainerIsA404WithAJsonMessage() throws Exception {
    HttpResponse<String> noPod = post("/exec/shop/web-9/httpd", "{\"command\":[\"true\"]}");
    HttpResponse<String> noContainer = post("/exec/shop/web-1/sidecar", "{\"command\":[\"true\"]}");

    assertThat(noPod.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(noPod.body()).path("message").asText())
        .isEqualTo("container \"httpd\" in pod \"web-9\" in namespace \"shop\" not found on this node");
    assertThat(noContainer.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(noContainer.body()).path("message").asText()).contains("\"sidecar\"");
  }

  @Test
  void aContainerThatDoesNotRunIsA400() throws Exception {
    runtime.exitContainer(containerId, 1);

    HttpResponse<String> r = post("/exec/shop/web-1/httpd", "{\"command\":[\"true\"]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("message").asText()).isEqualTo(
        "container \"httpd\" in pod \"web-1\" is not running");
  }

  @Test
  void malformedRequestsAreA400AndOtherMethodsA405() throws Exception {
    assertThat(post("/exec/shop/web-1/httpd", "not json").statusCode()).isEqualTo(400);
    assertThat(post("/exec/shop/web-1/httpd", "{\"command\":[]}").statusCode()).isEqualTo(400);
    assertThat(post("/exec/shop/web-1", "{\"command\":[\"true\"]}").statusCode()).isEqualTo(400);
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/exec/shop/web-1/httpd")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
  }

  @Test
  void logRequestsStillReachTheLogHandler() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/containerLogs/shop/web-9/httpd")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("container \"httpd\" in pod \"web-9\" in namespace \"shop\" not found\n");
  }
}
