package io.minik8s.kubelet.restart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.kubelet.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(10), Duration.ofSeconds(60), clock);

  @Test
  void aFirstFailureMayRestartAtOnceThenTheWaitDoublesUpToTheMax() {
    assertThat(backoff.remaining("p/c", clock.instant())).isEmpty();
    assertThat(backoff.next("p/c")).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.next("p/c")).isEqualTo(Duration.ofSeconds(20));
    assertThat(backoff.next("p/c")).isEqualTo(Duration.ofSeconds(40));
    assertThat(backoff.next("p/c")).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.next("p/c")).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void theWaitCountsFromWhenTheContainerFinished() {
    backoff.next("p/c");
    Instant finished = clock.instant().plusSeconds(3);
    clock.advance(Duration.ofSeconds(5));
    assertThat(backoff.remaining("p/c", finished)).hasValue(Duration.ofSeconds(8));
    clock.advance(Duration.ofSeconds(8));
    assertThat(backoff.remaining("p/c", finished)).isEmpty();
    assertThat(backoff.remaining("other", finished)).isEmpty();
  }

  @Test
  void aKeyLeftAloneForTwiceTheMaxStartsAgainFromTheBase() {
    backoff.next("p/c");
    backoff.next("p/c");
    clock.advance(Duration.ofSeconds(121));
    assertThat(backoff.current("p/c")).isEmpty();
    assertThat(backoff.next("p/c")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void resetAllForgetsEveryContainerOfAPod() {
    backoff.next("uid-1/a");
    backoff.next("uid-1/b");
    backoff.next("uid-2/a");
    backoff.resetAll("uid-1/");
    assertThat(backoff.current("uid-1/a")).isEmpty();
    assertThat(backoff.current("uid-1/b")).isEmpty();
    assertThat(backoff.current("uid-2/a")).hasValue(Duration.ofSeconds(10));
  }

  @Test
  void remainingSinceLastAttemptCountsFromTheRecordedAttempt() {
    assertThat(backoff.remainingSinceLastAttempt("img")).isEmpty();
    backoff.next("img");
    clock.advance(Duration.ofSeconds(4));
    assertThat(backoff.remainingSinceLastAttempt("img")).hasValue(Duration.ofSeconds(6));
  }

  @Test
  void rejectsANonsensicalRange() {
    assertThatThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1), clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void restartPolicies() {
    assertThat(RestartPolicy.of("Always").restarts(0)).isTrue();
    assertThat(RestartPolicy.of("").restarts(0)).isTrue();
    assertThat(RestartPolicy.of("OnFailure").restarts(0)).isFalse();
    assertThat(RestartPolicy.of("OnFailure").restarts(137)).isTrue();
    assertThat(RestartPolicy.of("Never").restarts(1)).isFalse();
    assertThatThrownBy(() -> RestartPolicy.of("Sometimes")).hasMessageContaining("Sometimes");
  }
}
