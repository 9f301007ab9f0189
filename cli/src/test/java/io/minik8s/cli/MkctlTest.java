package io.minik8s.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.minik8s.client.api.ApiClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MkctlTest {
  private MkctlHarness mkctl;

  @BeforeEach
  void start() throws IOException {
    mkctl = new MkctlHarness();
  }

  @AfterEach
  void stop() {
    mkctl.close();
  }

  @Test
  void versionPrintsClientAndServer() {
    MkctlHarness.Result result = mkctl.run("version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo("Client Version: v0.1.0\nServer Version: v0.1.0-fake\n");
    assertThat(mkctl.run("version", "-o", "yaml").out()).contains("serverVersion:").contains("platform: linux/amd64");
  }

  @Test
  void theClientVersionNeedsNoServer() {
    MkctlHarness.Result result = mkctl.run("version", "--client");

    assertThat(result.out()).isEqualTo("Client Version: v0.1.0\n");
    assertThat(mkctl.connectedTo()).isNull();
  }

  @Test
  void helpIsEverywhereAndNeedsNoServer() {
    assertThat(mkctl.run("--help").out()).contains("apply").contains("get").contains("describe").contains("delete");
    assertThat(mkctl.run("get", "-h").out()).contains("--all-namespaces").contains("--watch");
    assertThat(mkctl.run("apply", "--help").exitCode()).isZero();
    assertThat(mkctl.connectedTo()).isNull();
  }

  @Test
  void theServerComesFromTheFlagElseTheEnvironmentElseTheDefault() {
    AtomicReference<String> target = new AtomicReference<>();
    assertThat(runConnectingTo(target, Map.of(), "version", "--server", "10.0.0.1:7443")).isNotNull();
    assertThat(target.get()).isEqualTo("10.0.0.1:7443");
    runConnectingTo(target, Map.of(Mkctl.SERVER_ENV, "api:6000"), "get", "pods");
    assertThat(target.get()).isEqualTo("api:6000");
    runConnectingTo(target, Map.of(), "get", "pods", "-n", "x");
    assertThat(target.get()).isEqualTo(Mkctl.DEFAULT_SERVER);
    runConnectingTo(target, Map.of(Mkctl.SERVER_ENV, "api:6000"), "--server", "first:1", "-n", "x", "get", "pods");
    assertThat(target.get()).isEqualTo("first:1");
  }

  private String runConnectingTo(AtomicReference<String> target, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MkctlHarness probe = mkctl;
    CliContext base = probe.context("", new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    CliContext context = new CliContext(base.out(), base.err(), base.in(), env, base.clock(), server -> {
      target.set(server);
      return base.connector().apply(server);
    });
    Mkctl.run(context, args);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anUnreachableServerIsReportedAsKubectlDoes() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String server = "127.0.0.1:" + port;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliContext context = new CliContext(new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Map.of(),
        Clock.systemUTC(), target -> {
          ManagedChannel channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
          return new ApiClient(channel, true);
        });

    int code = Mkctl.run(context, "get", "pods", "--server", server);

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("The connection to the server " + server
        + " was refused - did you specify the right host or port?\n");
  }
}
