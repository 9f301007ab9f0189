package io.minik8s.client.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.client.process.ProcessLifecycle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ActWhileLeadingTest {
  @Test
  void leadingStartsTheWorkAndLosingTheLeaseDuringShutdownChangesNothing() {
    ProcessLifecycle lifecycle = new ProcessLifecycle("test", Duration.ofSeconds(5));
    AtomicInteger started = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    lifecycle.register("work", closed::incrementAndGet);
    ActWhileLeading callbacks = new ActWhileLeading("test", lifecycle, started::incrementAndGet);

    callbacks.onNewLeader("other");
    assertThat(started).hasValue(0);
    callbacks.onStartedLeading();
    assertThat(started).hasValue(1);

    lifecycle.shutdown("SIGTERM");
    assertThat(closed).hasValue(1);
    callbacks.onStoppedLeading(); // the elector releasing its lease on the way out: no second shutdown, no exit
    assertThat(closed).hasValue(1);
    assertThat(started).hasValue(1);
  }
}
