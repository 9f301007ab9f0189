package io.minik8s.scheduler.framework;

import java.util.List;

/**
 * Whether a pod fits a node, and if not why: one or more reasons in the words users see in the
 * {@code FailedScheduling} message ({@code "Insufficient cpu"}). Immutable.
 */
public final class FilterResult {
  private static final FilterResult FITS = new FilterResult(List.of());

  private final List<String> reasons;

  private FilterResult(List<String> reasons) {
    this.reasons = reasons;
  }

  public static FilterResult fits() {
    return FITS;
  }

  /** The pod does not fit, for each of {@code reasons} (at least one). */
  public static FilterResult unschedulable(String... reasons) {
    return unschedulable(List.of(reasons));
  }

  public static FilterResult unschedulable(List<String> reasons) {
    if (reasons.isEmpty()) {
      throw new IllegalArgumentException("an unschedulable result needs a reason");
    }
    return new FilterResult(List.copyOf(reasons));
  }

  public boolean isFit() {
    return reasons.isEmpty();
  }

  public List<String> reasons() {
    return reasons;
  }

  @Override
  public String toString() {
    return isFit() ? "fits" : "unschedulable " + reasons;
  }
}
