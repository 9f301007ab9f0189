package io.minik8s.controllermanager.deployment;

import io.minik8s.api.IntOrString;
import java.util.List;

/**
 * The arithmetic of a rolling update, as Kubernetes' deployment controller does it, over plain numbers
 * so each step can be tested alone. Stateless.
 *
 * <p>Words: {@code replicas} is the Deployment's desired count; {@code maxSurge} (rounded up from a
 * percentage) is how many pods may exist above it, {@code maxUnavailable} (rounded down) how many
 * below it may be unavailable; when both resolve to 0, maxUnavailable is 1 so the rollout can move.
 */
public final class RollingUpdateMath {
  private RollingUpdateMath() {}

  /** A number, or a percentage of {@code total} rounded up or down. */
  public static int resolve(IntOrString value, int total, boolean roundUp) {
    if (value.getValueCase() == IntOrString.ValueCase.INT_VAL) {
      return value.getIntVal();
    }
    if (value.getValueCase() != IntOrString.ValueCase.STR_VAL || value.getStrVal().isEmpty()) {
      return 0;
    }
    String s = value.getStrVal().trim();
    if (!s.endsWith("%")) {
      return Integer.parseInt(s);
    }
    long percent = Long.parseLong(s.substring(0, s.length() - 1));
    long scaled = percent * total;
    return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
  }

  /** maxSurge and maxUnavailable as numbers for {@code replicas}: {surge, unavailable}. */
  public static int[] fenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int replicas) {
    int surge = resolve(maxSurge, replicas, true);
    int unavailable = resolve(maxUnavailable, replicas, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new int[] {surge, unavailable};
  }

  /**
   * The size the new ReplicaSet may grow to now: up to {@code replicas}, while the pods of all
   * ReplicaSets stay within {@code replicas + maxSurge}.
   *
   * @param allPods the sum of every ReplicaSet's spec.replicas (new one included)
   */
  public static int newReplicaSetSize(int replicas, int maxSurge, int allPods, int newSize) {
    int maxTotal = replicas + maxSurge;
    if (allPods >= maxTotal) {
      return newSize;
    }
    int up = Math.min(maxTotal - allPods, Math.max(0, replicas - newSize));
    return newSize + up;
  }

  /**
   * How many old pods may go now without fewer than {@code replicas - maxUnavailable} available: at
   * most the pods above that floor that are not counted on by the new ReplicaSet's unavailable ones.
   *
   * @param allPods the sum of every ReplicaSet's spec.replicas
   * @param newUnavailable the new ReplicaSet's spec.replicas minus its available pods
   */
  public static int maxScaledDown(int replicas, int maxUnavailable, int allPods, int newUnavailable) {
    return Math.max(0, allPods - (replicas - maxUnavailable) - newUnavailable);
  }

  /** One old ReplicaSet as the scale-down sees it. */
  public record OldSet(int size, int available) {}

  /**
   * New sizes of the old ReplicaSets (given oldest first), as Kubernetes: nothing when {@code
   * maxScaledDown} is 0; else first their unavailable pods go (within {@code maxScaledDown}), then
   * available ones, as long as the available pods of all ReplicaSets stay at or above {@code replicas -
   * maxUnavailable}.
   *
   * @param newAvailable available pods of the new ReplicaSet
   */
  public static int[] scaleDownOld(List<OldSet> olds, int replicas, int maxUnavailable, int maxScaledDown,
      int newAvailable) {
    int[] sizes = olds.stream().mapToInt(OldSet::size).toArray();
    if (maxScaledDown <= 0) {
      return sizes;
    }
    int budget = maxScaledDown;
    for (int i = 0; i < sizes.length && budget > 0; i++) {
      int unhealthy = Math.max(0, sizes[i] - olds.get(i).available());
      int cut = Math.min(budget, unhealthy);
      sizes[i] -= cut;
      budget -= cut;
    }
    int available = newAvailable + olds.stream().mapToInt(OldSet::available).sum();
    int canGo = available - (replicas - maxUnavailable);
    for (int i = 0; i < sizes.length && canGo > 0; i++) {
      int cut = Math.min(canGo, sizes[i]);
      sizes[i] -= cut;
      canGo -= cut;
    }
    return sizes;
  }
}
