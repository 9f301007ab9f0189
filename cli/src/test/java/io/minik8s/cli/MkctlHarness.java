package io.minik8s.cli;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.minik8s.client.api.ApiClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs mkctl command lines against a {@link FakeApiServer} over gRPC's in-process transport, with
 * a fixed clock (UTC) and captured output.
 */
final class MkctlHarness implements AutoCloseable {
  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  final FakeApiServer api = new FakeApiServer(NOW);
  private final Server server;
  private final ManagedChannel channel;
  private final AtomicReference<String> connectedTo = new AtomicReference<>();

  MkctlHarness() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(api).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** The outcome of one command line. */
  record Result(int exitCode, String out, String err) {}

  Result run(String... args) {
    return runWithInput("", args);
  }

  Result runWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Mkctl.run(context(stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)), args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  CliContext context(String stdin, PrintStream out, PrintStream err) {
    return new CliContext(out, err, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        Map.of(), Clock.fixed(NOW, ZoneOffset.UTC), server -> {
          connectedTo.set(server);
          return new ApiClient(channel, false);
        });
  }

  /** The address the last command connected to (null if it never connected). */
  String connectedTo() {
    return connectedTo.get();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
  }
}
