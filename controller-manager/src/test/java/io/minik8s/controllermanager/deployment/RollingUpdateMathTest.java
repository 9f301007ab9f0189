package io.minik8s.controllermanager.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.IntOrString;
import io.minik8s.controllermanager.deployment.RollingUpdateMath.OldSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One rolling-update step at a time: new ReplicaSet size, then old sizes, from the same state. */
class RollingUpdateMathTest {
  private static IntOrString pct(String p) {
    return IntOrString.newBuilder().setStrVal(p).build();
  }

  private static IntOrString num(int n) {
    return IntOrString.newBuilder().setIntVal(n).build();
  }

  @Test
  void percentagesRoundSurgeUpAndUnavailableDown() {
    assertThat(RollingUpdateMath.fenceposts(pct("25%"), pct("25%"), 4)).containsExactly(1, 1);
    assertThat(RollingUpdateMath.fenceposts(pct("25%"), pct("25%"), 3)).containsExactly(1, 0);
    assertThat(RollingUpdateMath.fenceposts(pct("10%"), pct("90%"), 5)).containsExactly(1, 4);
    assertThat(RollingUpdateMath.fenceposts(num(0), num(0), 4)).containsExactly(0, 1);
  }

  /** Runs steps until done, checking the invariants; returns the (new, old) sizes after each step. */
  private static List<int[]> roll(int replicas, int surge, int unavailable) {
    int newSize = 0;
    int oldSize = replicas;
    List<int[]> steps = new java.util.ArrayList<>();
    for (int i = 0; i < 20 && (newSize != replicas || oldSize != 0); i++) {
      // Between steps every pod created becomes available (the kubelet), every deleted one goes.
      int grown = oldSize == 0 ? replicas : RollingUpdateMath.newReplicaSetSize(replicas, surge, newSize + oldSize, newSize);
      if (grown != newSize) {
        newSize = grown;
      } else {
        int max = RollingUpdateMath.maxScaledDown(replicas, unavailable, newSize + oldSize, 0);
        oldSize = RollingUpdateMath.scaleDownOld(List.of(new OldSet(oldSize, oldSize)), replicas, unavailable, max,
            newSize)[0];
      }
      assertThat(newSize + oldSize).isLessThanOrEqualTo(replicas + surge);
      assertThat(newSize + oldSize).isGreaterThanOrEqualTo(replicas - unavailable);
      steps.add(new int[] {newSize, oldSize});
    }
    return steps;
  }

  @Test
  void quarterSurgeQuarterUnavailableOnFourReplicas() {
    // First step from (new 0, old 4): the new set may grow to 1 (5 = 4 + surge).
    assertThat(RollingUpdateMath.newReplicaSetSize(4, 1, 4, 0)).isEqualTo(1);
    // With the new pod not yet available, one old may still go (4 available - floor 3).
    int max = RollingUpdateMath.maxScaledDown(4, 1, 5, 1);
    assertThat(max).isEqualTo(1);
    assertThat(RollingUpdateMath.scaleDownOld(List.of(new OldSet(4, 4)), 4, 1, max, 0)).containsExactly(3);
    assertThat(roll(4, 1, 1)).last().satisfies(s -> assertThat(s).containsExactly(4, 0));
  }

  @Test
  void surgeOneUnavailableZeroAddsBeforeRemoving() {
    assertThat(RollingUpdateMath.newReplicaSetSize(4, 1, 4, 0)).isEqualTo(1);
    // The new pod is not available yet: nothing old may go.
    assertThat(RollingUpdateMath.maxScaledDown(4, 0, 5, 1)).isZero();
    assertThat(RollingUpdateMath.scaleDownOld(List.of(new OldSet(4, 4)), 4, 0, 0, 0)).containsExactly(4);
    // Once it is: one old goes.
    int max = RollingUpdateMath.maxScaledDown(4, 0, 5, 0);
    assertThat(RollingUpdateMath.scaleDownOld(List.of(new OldSet(4, 4)), 4, 0, max, 1)).containsExactly(3);
    assertThat(roll(4, 1, 0)).last().satisfies(s -> assertThat(s).containsExactly(4, 0));
  }

  @Test
  void surgeZeroUnavailableOneRemovesBeforeAdding() {
    assertThat(RollingUpdateMath.newReplicaSetSize(4, 0, 4, 0)).isZero();
    int max = RollingUpdateMath.maxScaledDown(4, 1, 4, 0);
    assertThat(RollingUpdateMath.scaleDownOld(List.of(new OldSet(4, 4)), 4, 1, max, 0)).containsExactly(3);
    assertThat(RollingUpdateMath.newReplicaSetSize(4, 0, 3, 0)).isEqualTo(1);
    assertThat(roll(4, 0, 1)).last().satisfies(s -> assertThat(s).containsExactly(4, 0));
  }

  @Test
  void unavailableOldPodsGoFirstWithinTheBudget() {
    List<OldSet> olds = List.of(new OldSet(2, 0), new OldSet(3, 3));
    // replicas 4, maxUnavailable 1, all pods 5 + new 0 → budget 2: the 2 unavailable ones of the oldest go.
    assertThat(RollingUpdateMath.scaleDownOld(olds, 4, 1, 2, 0)).containsExactly(0, 3);
  }
}
