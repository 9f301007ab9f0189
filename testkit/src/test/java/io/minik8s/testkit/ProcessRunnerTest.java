package io.minik8s.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

  @Test
  void capturesOutputWaitsForALineAndStopsWithSigterm() {
    try (ProcessRunner p = ProcessRunner.command("sh", "-c",
        "trap 'echo got TERM; exit 3' TERM; echo \"hello $GREETING\"; while true; do sleep 0.1; done")
        .name("runner-test-term").env("GREETING", "world").start()) {
      p.awaitLogLine("hello world", Duration.ofSeconds(10));
      assertThat(p.pid()).isPositive();
      assertThat(p.stop(Duration.ofSeconds(10))).isEqualTo(3);
      assertThat(p.isAlive()).isFalse();
      assertThat(p.logTail(5)).contains("got TERM");
    }
  }

  @Test
  void failsFastWithTheLogWhenTheProcessExitsWhileWaited() {
    ProcessRunner p = ProcessRunner.command("sh", "-c", "echo boom; exit 7").name("runner-test-exit").start();
    assertThatThrownBy(() -> p.awaitLogLine("never printed", Duration.ofSeconds(30)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("exited (code 7)")
        .hasMessageContaining("boom");
  }

  @Test
  void aRestartOnlyMatchesTheNewRunsOutput(@TempDir Path dir) {
    Path marker = dir.resolve("ran-once");
    ProcessRunner p = ProcessRunner.command("sh", "-c",
        "if [ -e " + marker + " ]; then echo second; else touch " + marker + "; echo first; fi; sleep 30")
        .name("runner-test-restart").start();
    p.awaitLogLine("^first$", Duration.ofSeconds(10));
    assertThat(p.kill()).isNotZero();
    p.start();
    p.awaitLogLine("^second$", Duration.ofSeconds(10));
    assertThatThrownBy(() -> p.awaitLogLine("^first$", Duration.ofMillis(300)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("not seen within");
    p.kill();
  }
}
