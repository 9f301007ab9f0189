package io.minik8s.client.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Lease;
import io.minik8s.client.workqueue.ManualTaskScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Leader election on a manual clock: time moves only in {@code advance}, nothing sleeps. */
class LeaderElectorTest {
  private static final Duration STEP = Duration.ofMillis(100);

  private final ManualTaskScheduler time = new ManualTaskScheduler();
  private final FakeLeases leases = new FakeLeases();
  /** Every callback of every elector, as {@code "<identity> <what> @<millis>"}. */
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final List<LeaderElector> electors = new ArrayList<>();

  @AfterEach
  void stopAll() {
    electors.forEach(LeaderElector::stop);
  }

  @Test
  void acquiresAFreeLease() {
    LeaderElector a = elector("a", leases.client());
    a.start();
    time.runDueTasks();
    assertThat(a.isLeader()).isTrue();
    assertThat(log).containsExactly("a new-leader a @0", "a started @0");
    Lease lease = lease();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("a");
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
    assertThat(lease.getSpec().getLeaseTransitions()).isZero();
    assertThat(lease.getSpec().getAcquireTime().getSeconds())
        .isEqualTo(time.instant().getEpochSecond());
  }

  @Test
  void aSecondCandidateWaitsWhileTheLeaderRenews() {
    LeaderElector a = elector("a", leases.client());
    LeaderElector b = elector("b", leases.client());
    a.start();
    time.runDueTasks();
    b.start();
    long renewTimeBefore = lease().getSpec().getRenewTime().getSeconds();
    advance(Duration.ofSeconds(60));
    assertThat(a.isLeader()).isTrue();
    assertThat(b.isLeader()).isFalse();
    assertThat(b.observedLeader()).contains("a");
    assertThat(log).contains("b new-leader a @0").doesNotContain("b started");
    assertThat(lease().getSpec().getRenewTime().getSeconds()).isGreaterThan(renewTimeBefore);
  }

  @Test
  void leaderThatCannotRenewStepsDownAtRenewDeadlineAndACandidateTakesOverAfterLeaseDuration() {
    FakeLeases.Client aClient = leases.client();
    LeaderElector a = elector("a", aClient);
    LeaderElector b = elector("b", leases.client());
    a.start();
    b.start();
    advance(Duration.ofSeconds(5));
    assertThat(a.isLeader()).isTrue();
    long nowMillis = Duration.ofNanos(time.nanoTime()).toMillis();
    long lastRenewMillis = nowMillis - nowMillis % 2000; // renewals every retryPeriod from 0

    aClient.broken = true; // a is cut off from the API server
    advance(Duration.ofSeconds(30));

    assertThat(a.isLeader()).isFalse();
    assertThat(b.isLeader()).isTrue();
    long aStopped = at("a stopped");
    long bStarted = at("b started");
    assertThat(aStopped).as("a gives up within renewDeadline of its last renewal")
        .isBetween(lastRenewMillis + 8_000, lastRenewMillis + 10_000 + STEP.toMillis());
    assertThat(bStarted).as("b waits a full leaseDuration after the last change it saw")
        .isGreaterThanOrEqualTo(lastRenewMillis + 15_000)
        .isGreaterThan(aStopped);
    Lease lease = lease();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("b");
    assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
    assertThat(log).contains("b new-leader b @" + bStarted);
  }

  /**
   * A renew call that never returns must not keep the leader leading: calls are abandoned when the
   * renew deadline passes. Small durations, because the abandoned call waits in real time.
   */
  @Test
  @Timeout(10)
  void aHangingRenewCountsAsFailedAtTheDeadline() throws Exception {
    CountDownLatch unblock = new CountDownLatch(1);
    FakeLeases.Client inner = leases.client();
    AtomicBoolean hang = new AtomicBoolean();
    LeaseClient hanging = new LeaseClient() {
      @Override
      public Optional<Lease> get(String namespace, String name) {
        if (hang.get()) {
          try {
            unblock.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException("abandoned", e);
          }
        }
        return inner.get(namespace, name);
      }

      @Override
      public Lease create(Lease lease) {
        return inner.create(lease);
      }

      @Override
      public Lease update(Lease lease) {
        return inner.update(lease);
      }
    };
    LeaderElector a = new LeaderElector(LeaderElectionConfig.builder().lease("kube-system", "scheduler")
        .identity("a").leaseDuration(Duration.ofSeconds(1)).renewDeadline(Duration.ofMillis(500))
        .retryPeriod(Duration.ofMillis(200)).clock(time).scheduler(time).build(), hanging);
    electors.add(a);
    try {
      a.start();
      time.runDueTasks();
      assertThat(a.isLeader()).isTrue();
      hang.set(true);
      for (int i = 0; i < 5 && a.isLeader(); i++) {
        time.advance(Duration.ofMillis(100));
      }
      assertThat(a.isLeader()).isFalse();
      assertThat(Duration.ofNanos(time.nanoTime())).isLessThanOrEqualTo(Duration.ofMillis(500));
    } finally {
      unblock.countDown();
    }
  }

  @Test
  void leaderThatSeesAnotherHolderStepsDownAtOnce() {
    LeaderElector a = elector("a", leases.client());
    a.start();
    time.runDueTasks();
    Lease stolen = lease().toBuilder().setSpec(lease().getSpec().toBuilder().setHolderIdentity("x")).build();
    leases.update(stolen);
    advance(Duration.ofSeconds(2));
    assertThat(a.isLeader()).isFalse();
    assertThat(log).containsSubsequence("a new-leader x @2000", "a stopped @2000");
  }

  @Test
  void stoppingReleasesTheLeaseSoASuccessorTakesOverAtOnce() {
    LeaderElector a = elector("a", leases.client());
    LeaderElector b = elector("b", leases.client());
    a.start();
    time.runDueTasks();
    b.start();
    advance(Duration.ofSeconds(10));
    a.stop();
    assertThat(log).contains("a stopped @10000");
    assertThat(lease().getSpec().getHolderIdentity()).isEmpty();
    assertThat(lease().getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    advance(Duration.ofSeconds(5));
    assertThat(b.isLeader()).isTrue();
    assertThat(at("b started")).as("on b's next try, not a leaseDuration (15 s) later")
        .isLessThanOrEqualTo(10_000 + (long) (2_000 * 2.2) + STEP.toMillis());
  }

  @Test
  void stoppingWithoutReleaseLeavesTheSuccessorWaitingForExpiry() {
    LeaderElector a = elector("a", leases.client(), false);
    LeaderElector b = elector("b", leases.client());
    a.start();
    time.runDueTasks();
    b.start();
    time.runDueTasks();
    a.stop();
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("a");
    advance(Duration.ofSeconds(14));
    assertThat(b.isLeader()).isFalse();
    advance(Duration.ofSeconds(6));
    assertThat(b.isLeader()).isTrue();
  }

  @Test
  void aLostCompareAndSwapMeansNotLeader() {
    LeaderElector a = elector("a", leases.client());
    LeaderElector b = elector("b", leases.client());
    a.start();
    time.runDueTasks();
    a.stop(); // lease released: free for anyone
    leases.beforeNextUpdate = () -> {
      Lease l = lease();
      leases.update(l.toBuilder().setSpec(l.getSpec().toBuilder().setHolderIdentity("c")).build());
    };
    b.start();
    time.runDueTasks();
    assertThat(b.isLeader()).isFalse();
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("c");
  }

  @Test
  void configIsValidated() {
    assertThatThrownBy(() -> LeaderElectionConfig.builder().lease("ns", "l").identity("a")
        .leaseDuration(Duration.ofSeconds(10)).renewDeadline(Duration.ofSeconds(10)).build())
        .hasMessageContaining("leaseDuration (PT10S) must be greater than renewDeadline (PT10S)");
    assertThatThrownBy(() -> LeaderElectionConfig.builder().lease("ns", "l").identity("a")
        .renewDeadline(Duration.ofSeconds(2)).retryPeriod(Duration.ofMillis(1700)).build())
        .hasMessageContaining("renewDeadline (PT2S) must be greater than 1.2 * retryPeriod (PT1.7S)");
    assertThatThrownBy(() -> LeaderElectionConfig.builder().lease("ns", "").build())
        .hasMessageContaining("lease name is required").hasMessageContaining("identity is required");
    assertThatThrownBy(() -> LeaderElectionConfig.builder().lease("ns", "l").identity("a")
        .retryPeriod(Duration.ZERO).build()).hasMessageContaining("retryPeriod must be positive");
    LeaderElectionConfig defaults = LeaderElectionConfig.builder().lease("ns", "l").identity("a").build();
    assertThat(List.of(defaults.leaseDuration(), defaults.renewDeadline(), defaults.retryPeriod()))
        .containsExactly(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  private LeaderElector elector(String id, LeaseClient client) {
    return elector(id, client, true);
  }

  private LeaderElector elector(String id, LeaseClient client, boolean release) {
    LeaderElectionConfig config = LeaderElectionConfig.builder()
        .lease("kube-system", "scheduler").identity(id).releaseOnStop(release)
        .clock(time).scheduler(time)
        .callbacks(new LeaderCallbacks() {
          @Override
          public void onStartedLeading() {
            record(id + " started");
          }

          @Override
          public void onStoppedLeading() {
            record(id + " stopped");
          }

          @Override
          public void onNewLeader(String identity) {
            record(id + " new-leader " + identity);
          }
        }).build();
    LeaderElector e = new LeaderElector(config, client);
    electors.add(e);
    return e;
  }

  private void record(String what) {
    log.add(what + " @" + Duration.ofNanos(time.nanoTime()).toMillis());
  }

  private long at(String what) {
    return log.stream().filter(l -> l.startsWith(what + " @")).findFirst()
        .map(l -> Long.parseLong(l.substring(l.indexOf('@') + 1)))
        .orElseThrow(() -> new AssertionError("no \"" + what + "\" in " + log));
  }

  private void advance(Duration d) {
    for (long i = 0; i < d.toMillis() / STEP.toMillis(); i++) {
      time.advance(STEP);
    }
  }

  private Lease lease() {
    return leases.get("kube-system", "scheduler").orElseThrow();
  }
}
