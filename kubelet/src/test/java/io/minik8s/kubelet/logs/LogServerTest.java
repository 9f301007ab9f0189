package io.minik8s.kubelet.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log server over real HTTP, reading CRI log files a test writes (the runtime's part). */
class LogServerTest {
  @TempDir
  Path dir;
  private Path current;
  private Path previous;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private LogServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    current = dir.resolve("c/1.log");
    previous = dir.resolve("c/0.log");
    Files.createDirectories(current.getParent());
    Files.writeString(previous, "2026-11-27T11:00:00Z stdout F from the previous run\n");
    Files.writeString(current, """
        2026-11-27T12:00:00.000000001Z stdout F one
        2026-11-27T12:00:01Z stderr P tw
        2026-11-27T12:00:02Z stderr F o
        2026-11-27T12:00:03Z stdout F three
        """);
    ContainerLogs logs = new ContainerLogs() {
      @Override
      public Optional<Location> find(String namespace, String pod, String container, boolean prev) {
        if (!namespace.equals("ns") || !pod.equals("web") || !container.equals("c")) {
          return Optional.empty();
        }
        return Optional.of(prev ? new Location("id-0", previous) : new Location("id-1", current));
      }

      @Override
      public boolean running(String containerId) {
        return running.get();
      }
    };
    server = new LogServer(logs, Duration.ofMillis(20), Duration.ofMillis(50)).start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void append(String text) throws Exception {
    Files.writeString(current, text, StandardOpenOption.APPEND);
  }

  @Test
  void servesTheWholeLogAsPlainTextWithPartialLinesJoined() throws Exception {
    HttpResponse<String> r = get("/containerLogs/ns/web/c");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    assertThat(r.body()).isEqualTo("one\ntwo\nthree\n");
  }

  @Test
  void tailsTimestampsAndThePreviousContainer() throws Exception {
    assertThat(get("/containerLogs/ns/web/c?tailLines=2").body()).isEqualTo("two\nthree\n");
    assertThat(get("/containerLogs/ns/web/c?tailLines=0").body()).isEmpty();
    assertThat(get("/containerLogs/ns/web/c?timestamps=true&tailLines=1").body())
        .isEqualTo("2026-11-27T12:00:03Z three\n");
    assertThat(get("/containerLogs/ns/web/c?tailLines=1&timestamps=true").body()).startsWith("2026-11-27T12:00:03Z");
    assertThat(get("/containerLogs/ns/web/c?timestamps=true").body()).startsWith("2026-11-27T12:00:00.000000001Z one\n");
    assertThat(get("/containerLogs/ns/web/c?previous=true").body()).isEqualTo("from the previous run\n");
  }

  @Test
  void answersNotFoundAndBadRequest() throws Exception {
    HttpResponse<String> missing = get("/containerLogs/ns/web/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("container \"nope\" in pod \"web\" in namespace \"ns\" not found");
    assertThat(get("/containerLogs/ns/web").statusCode()).isEqualTo(400);
    assertThat(get("/containerLogs/ns/web/c?tailLines=many").statusCode()).isEqualTo(400);
    assertThat(get("/elsewhere").statusCode()).isEqualTo(404);
  }

  @Test
  void followStreamsNewLinesUntilTheContainerStops() throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/containerLogs/ns/web/c?follow=true&tailLines=1")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("three");
      append("2026-11-27T12:00:04Z stdout F four\n2026-11-27T12:00:05Z stdout F fi");
      assertThat(lines.readLine()).isEqualTo("four");
      Thread.sleep(100); // a half-written record stays back until its end arrives
      append("ve\n");
      assertThat(lines.readLine()).isEqualTo("five");
      running.set(false);
      assertThat(lines.readLine()).as("the stream ends once the container stopped").isNull();
    }
  }

  @Test
  void followDeliversLinesAsTheyAreWrittenAndEndsWhenTheClientLeaves() throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/containerLogs/ns/web/c?follow=true&tailLines=0")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    append("2026-11-27T12:00:04Z stdout F live\n");
    assertThat(lines.readLine()).isEqualTo("live");
    append("2026-11-27T12:00:05Z stdout F again\n");
    assertThat(lines.readLine()).isEqualTo("again");
    lines.close();
    // The stream ended on the server side too: another request is served by a free thread.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(get("/containerLogs/ns/web/c?tailLines=1").body()).isEqualTo("again\n"));
  }
}
