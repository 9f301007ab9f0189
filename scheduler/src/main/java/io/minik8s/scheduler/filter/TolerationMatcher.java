package io.minik8s.scheduler.filter;

import io.minik8s.api.Taint;
import io.minik8s.api.Toleration;
import java.util.List;
import java.util.Optional;

/** Kubernetes' rules for whether a toleration tolerates a taint. */
public final class TolerationMatcher {
  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
  public static final String NO_EXECUTE = "NoExecute";

  private TolerationMatcher() {}

  /**
   * True when {@code t} tolerates {@code taint}: the effects match (an empty toleration effect matches
   * every effect), the keys match (an empty key matches every key; only meaningful with
   * {@code Exists}), and either the operator is {@code Exists} or it is {@code Equal} (or empty,
   * which means Equal) and the values are equal. Any other operator tolerates nothing.
   */
  public static boolean tolerates(Toleration t, Taint taint) {
    if (!t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (!t.getKey().isEmpty() && !t.getKey().equals(taint.getKey())) {
      return false;
    }
    switch (t.getOperator()) {
      case "Exists":
        return true;
      case "":
      case "Equal":
        return t.getValue().equals(taint.getValue());
      default:
        return false;
    }
  }

  /** True when any of {@code tolerations} tolerates {@code taint}. */
  public static boolean tolerated(List<Toleration> tolerations, Taint taint) {
    for (Toleration t : tolerations) {
      if (tolerates(t, taint)) {
        return true;
      }
    }
    return false;
  }

  /** The first of {@code taints} with effect NoSchedule or NoExecute that no toleration tolerates. */
  public static Optional<Taint> firstUntoleratedScheduleTaint(List<Taint> taints, List<Toleration> tolerations) {
    for (Taint taint : taints) {
      if ((taint.getEffect().equals(NO_SCHEDULE) || taint.getEffect().equals(NO_EXECUTE))
          && !tolerated(tolerations, taint)) {
        return Optional.of(taint);
      }
    }
    return Optional.empty();
  }

  /** A taint with just a key and an effect, as the node controllers would set it. */
  static Taint taint(String key, String effect) {
    return Taint.newBuilder().setKey(key).setEffect(effect).build();
  }
}
