package io.minik8s.scheduler.report;

import static io.minik8s.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodConditionsTest {
  private static final Instant T1 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2024-01-01T00:01:00Z");

  private static PodCondition scheduled(Pod p) {
    return p.getStatus().getConditionsList().stream().filter(c -> c.getType().equals("PodScheduled"))
        .findFirst().orElseThrow();
  }

  @Test
  void addsTheConditionToAPodWithout() {
    Pod updated = PodConditions.withUnschedulable(pod("p"), "0/1 nodes are available: 1 Insufficient cpu.", T1)
        .orElseThrow();

    PodCondition c = scheduled(updated);
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("Unschedulable");
    assertThat(c.getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu.");
    assertThat(c.getLastTransitionTime().getSeconds()).isEqualTo(T1.getEpochSecond());
  }

  @Test
  void anUnchangedVerdictIsNotWrittenAgain() {
    Pod once = PodConditions.withUnschedulable(pod("p"), "m", T1).orElseThrow();

    assertThat(PodConditions.withUnschedulable(once, "m", T2)).isEmpty();
  }

  @Test
  void aNewMessageKeepsTheTransitionTime() {
    Pod once = PodConditions.withUnschedulable(pod("p"), "m1", T1).orElseThrow();

    Pod twice = PodConditions.withUnschedulable(once, "m2", T2).orElseThrow();

    assertThat(scheduled(twice).getMessage()).isEqualTo("m2");
    assertThat(scheduled(twice).getLastTransitionTime().getSeconds()).isEqualTo(T1.getEpochSecond());
    assertThat(twice.getStatus().getConditionsCount()).isEqualTo(1);
  }
}
