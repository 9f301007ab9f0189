package io.minik8s.scheduler.queue;

import static io.minik8s.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SchedulingQueue queue =
      new SchedulingQueue(now::get, Duration.ofSeconds(1), Duration.ofSeconds(10));

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private static Pod created(String name, long seconds) {
    Pod p = pod(name);
    return p.toBuilder().setMetadata(p.getMetadata().toBuilder()
        .setCreationTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(seconds))).build();
  }

  private List<String> drainNames() {
    List<String> names = new ArrayList<>();
    Optional<QueuedPod> p;
    while ((p = queue.poll()).isPresent()) {
      names.add(p.get().pod().getMetadata().getName());
    }
    return names;
  }

  @Test
  void popsInCreationOrderThenByName() {
    queue.add(created("c", 30));
    queue.add(created("b", 10));
    queue.add(created("a2", 20));
    queue.add(created("a1", 20));

    assertThat(drainNames()).containsExactly("b", "a1", "a2", "c");
  }

  @Test
  void higherPriorityGoesFirst() {
    queue.add(created("old", 10));
    Pod urgent = created("urgent", 20);
    queue.add(urgent.toBuilder().setSpec(urgent.getSpec().toBuilder().setPriority(1000)).build());

    assertThat(drainNames()).containsExactly("urgent", "old");
  }

  @Test
  void addingAKnownPodReplacesItInsteadOfDuplicating() {
    Pod p = pod("p");
    queue.add(p);
    queue.add(p.toBuilder().setMetadata(p.getMetadata().toBuilder().setResourceVersion("2")).build());

    QueuedPod popped = queue.poll().orElseThrow();
    assertThat(popped.pod().getMetadata().getResourceVersion()).isEqualTo("2");
    assertThat(queue.poll()).isEmpty();
    queue.add(p); // in flight: not handed out twice
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void failedPodsBackOffDoublingUpToTheMaximum() {
    queue.add(pod("p"));
    QueuedPod popped = queue.poll().orElseThrow();
    List<Long> waitedMillis = new ArrayList<>();
    for (int attempt = 0; attempt < 6; attempt++) {
      assertThat(popped.attempts()).isEqualTo(attempt);
      queue.requeue(popped, popped.pod());
      long waited = 0;
      Optional<QueuedPod> next;
      while ((next = queue.poll()).isEmpty()) {
        advance(Duration.ofMillis(250));
        waited += 250;
      }
      waitedMillis.add(waited);
      popped = next.get();
    }

    assertThat(waitedMillis).containsExactly(1000L, 2000L, 4000L, 8000L, 10000L, 10000L);
    assertThat(queue.backoffAfter(50)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aPodBackingOffIsNotHandedOutBeforeItsTime() {
    queue.add(pod("p"));
    QueuedPod first = queue.poll().orElseThrow();
    queue.requeue(first, first.pod());

    assertThat(queue.poll()).isEmpty();
    assertThat(queue.backoffCount()).isEqualTo(1);
    advance(Duration.ofMillis(999));
    assertThat(queue.poll()).isEmpty();
    advance(Duration.ofMillis(1));
    QueuedPod second = queue.poll().orElseThrow();
    assertThat(second.attempts()).isEqualTo(1);
    assertThat(second.firstSeenNanos()).isEqualTo(first.firstSeenNanos());
  }

  @Test
  void clusterEventsRetryBackingOffPodsEarly() {
    queue.add(pod("p"));
    QueuedPod first = queue.poll().orElseThrow();
    queue.requeue(first, first.pod());
    assertThat(queue.poll()).isEmpty();

    queue.moveAllToActive();

    assertThat(queue.activeCount()).isEqualTo(1);
    assertThat(queue.poll()).hasValueSatisfying(p -> assertThat(p.attempts()).isEqualTo(1));
  }

  @Test
  void aClusterEventDuringAnAttemptIsNotLost() {
    queue.add(pod("p"));
    QueuedPod attempt = queue.poll().orElseThrow();
    queue.moveAllToActive(); // e.g. a node appeared after the attempt took its snapshot

    queue.requeue(attempt, attempt.pod());

    assertThat(queue.poll()).isPresent();
  }

  @Test
  void aClusterEventBeforeAnAttemptDoesNotSkipItsBackoff() {
    queue.moveAllToActive();
    queue.add(pod("p"));
    QueuedPod attempt = queue.poll().orElseThrow();

    queue.requeue(attempt, attempt.pod());

    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void aSpecChangeRetriesABackingOffPod() {
    Pod p = pod("p");
    queue.add(p);
    QueuedPod attempt = queue.poll().orElseThrow();
    queue.requeue(attempt, p);

    queue.add(p.toBuilder().setStatus(p.getStatus().toBuilder().setMessage("status only")).build());
    assertThat(queue.poll()).isEmpty();
    queue.add(io.minik8s.scheduler.TestObjects.withTolerations(p,
        io.minik8s.scheduler.TestObjects.toleration("x", "Exists", "", "")));
    assertThat(queue.poll()).isPresent();
  }

  @Test
  void deletedPodsLeaveTheQueueInAnyState() {
    queue.add(pod("active"));
    queue.add(pod("backoff"));
    queue.add(pod("inflight"));
    QueuedPod a = queue.poll().orElseThrow();
    QueuedPod b = queue.poll().orElseThrow();
    QueuedPod c = queue.poll().orElseThrow();
    queue.requeue(a, a.pod());
    queue.requeue(b, b.pod());
    queue.moveAllToActive();
    // a and b active again, c in flight
    queue.delete(a.uid());
    queue.poll().orElseThrow(); // b in flight
    queue.requeue(b, b.pod());
    queue.delete(b.uid());
    queue.delete(c.uid());
    queue.requeue(c, c.pod()); // its attempt ends after the delete: dropped

    assertThat(queue.size()).isZero();
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void doneForgetsThePod() {
    queue.add(pod("p"));
    QueuedPod p = queue.poll().orElseThrow();

    queue.done(p.uid());

    assertThat(queue.contains(p.uid())).isFalse();
    queue.add(p.pod()); // a later pending version is new again
    assertThat(queue.poll()).hasValueSatisfying(x -> assertThat(x.attempts()).isZero());
  }

  @Test
  void popWaitsForAPodAndCloseWakesIt() throws Exception {
    SchedulingQueue real = new SchedulingQueue();
    CompletableFuture<Optional<QueuedPod>> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return real.pop();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    real.add(pod("p"));
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isPresent();

    CompletableFuture<Optional<QueuedPod>> second = CompletableFuture.supplyAsync(() -> {
      try {
        return real.pop();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    real.close();
    assertThat(second.get(5, TimeUnit.SECONDS)).isEmpty();
  }
}
