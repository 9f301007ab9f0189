package io.minik8s.client.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real Netty server on an ephemeral port, asked by the JDK's HTTP client. */
class HealthServerTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicBoolean synced = new AtomicBoolean();
  private HealthServer server;

  @BeforeEach
  void start() throws Exception {
    server = new HealthServer(registry)
        .addReadinessCheck("informers-synced", HealthCheck.of(synced::get, "informers not synced"))
        .addReadinessCheck("ping", () -> {})
        .start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void healthzAndLivezAnswerOk() throws Exception {
    assertThat(get("/healthz")).extracting(HttpResponse::statusCode, HttpResponse::body).containsExactly(200, "ok");
    assertThat(get("/livez")).extracting(HttpResponse::statusCode, HttpResponse::body).containsExactly(200, "ok");
    assertThat(server.port()).isPositive();
  }

  @Test
  void readyzListsFailedChecksUntilTheyPass() throws Exception {
    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).isEqualTo("[-]informers-synced failed: informers not synced\nreadyz check failed\n");

    synced.set(true);
    assertThat(get("/readyz")).extracting(HttpResponse::statusCode, HttpResponse::body).containsExactly(200, "ok");
    HttpResponse<String> verbose = get("/readyz?verbose");
    assertThat(verbose.statusCode()).isEqualTo(200);
    assertThat(verbose.body()).isEqualTo("[+]informers-synced ok\n[+]ping ok\nreadyz check passed\n");
  }

  @Test
  void readyzVerboseShowsEveryCheckWhenFailing() throws Exception {
    server.addReadinessCheck("broken", () -> {
      throw new IllegalStateException("API server unreachable");
    });
    HttpResponse<String> r = get("/readyz?verbose");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("[-]broken failed: API server unreachable\n"
        + "[-]informers-synced failed: informers not synced\n[+]ping ok\nreadyz check failed\n");
  }

  @Test
  void metricsServesPrometheusTextWithJvmMetrics() throws Exception {
    Counter.builder("minik8s.test.requests").register(registry).increment(3);
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).contains("minik8s_test_requests_total 3.0", "jvm_memory_used_bytes",
        "jvm_threads_live_threads", "process_uptime_seconds", "process_cpu_usage", "jvm_gc_");
  }

  @Test
  void unknownPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/healthz"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void closeFreesThePort() throws Exception {
    int port = server.port();
    server.close();
    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
        .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
