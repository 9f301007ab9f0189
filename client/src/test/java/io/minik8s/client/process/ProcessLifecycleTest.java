package io.minik8s.client.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProcessLifecycleTest {
  private final List<String> closed = new CopyOnWriteArrayList<>();

  @Test
  void closesNewestFirstAndKeepsGoingPastFailures() {
    ProcessLifecycle lifecycle = new ProcessLifecycle("test", Duration.ofSeconds(5));
    lifecycle.register("api-client", () -> closed.add("api-client"));
    lifecycle.register("informers", () -> {
      closed.add("informers");
      throw new IllegalStateException("close failed");
    });
    lifecycle.register("controllers", () -> closed.add("controllers"));
    assertThat(lifecycle.shutdown("test")).isTrue();
    assertThat(closed).containsExactly("controllers", "informers", "api-client");
    assertThat(lifecycle.shutdown("again")).isTrue();
    assertThat(closed).hasSize(3);
    assertThat(lifecycle.isShuttingDown()).isTrue();
  }

  @Test
  void registeringAfterShutdownClosesAtOnce() {
    ProcessLifecycle lifecycle = new ProcessLifecycle("test", Duration.ofSeconds(5));
    lifecycle.shutdown("test");
    lifecycle.register("late", () -> closed.add("late"));
    assertThat(closed).containsExactly("late");
  }

  @Test
  @Timeout(10)
  void aStuckCloseIsAbandonedAtTheTimeLimit() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    ProcessLifecycle lifecycle = new ProcessLifecycle("test", Duration.ofMillis(300));
    lifecycle.register("first", () -> closed.add("first"));
    lifecycle.register("stuck", never::await);
    long start = System.nanoTime();
    assertThat(lifecycle.shutdown("test")).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(closed).isEmpty();
    lifecycle.awaitShutdown(); // returns: the shutdown is over, incomplete
    never.countDown();
  }

  @Test
  @Timeout(10)
  void awaitShutdownReturnsOnceTheShutdownRan() throws Exception {
    ProcessLifecycle lifecycle = new ProcessLifecycle("test", Duration.ofSeconds(5));
    lifecycle.register("c", () -> closed.add("c"));
    Thread main = new Thread(() -> {
      try {
        lifecycle.awaitShutdown();
        closed.add("main returned");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    main.start();
    lifecycle.shutdown("test");
    main.join();
    assertThat(closed).containsExactly("c", "main returned");
  }

  /** The real thing: a child JVM gets SIGTERM and closes what it registered. */
  @Test
  @Timeout(60)
  void sigtermRunsTheShutdownInAChildProcess() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        LifecycleDemo.class.getName()).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.append(line).append('\n');
      if (line.equals("ready")) {
        break;
      }
    }
    assertThat(seen.toString()).as("child output").contains("ready");
    child.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
    String rest = out.lines().collect(Collectors.joining("\n"));
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(rest).contains("closed second", "closed first");
    assertThat(rest.indexOf("closed second")).isLessThan(rest.indexOf("closed first"));
    assertThat(rest).contains("msg=\"shutting down\"", "msg=\"shutdown complete\"");
  }

  /** The child process of {@link #sigtermRunsTheShutdownInAChildProcess}. */
  public static final class LifecycleDemo {
    public static void main(String[] args) throws Exception {
      Logging.configure("info", false);
      ProcessLifecycle lifecycle = new ProcessLifecycle("demo", Duration.ofSeconds(10)).installShutdownHook();
      lifecycle.register("first", () -> System.out.println("closed first"));
      lifecycle.register("second", () -> System.out.println("closed second"));
      System.out.println("ready");
      System.out.flush();
      lifecycle.awaitShutdown();
    }
  }
}
