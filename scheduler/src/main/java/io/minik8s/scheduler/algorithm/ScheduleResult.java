package io.minik8s.scheduler.algorithm;

import java.util.Objects;

/** What one scheduling attempt decided: a node, or a {@link FitError} saying why there is none. */
public final class ScheduleResult {
  private final String nodeName;
  private final int feasibleNodes;
  private final FitError fitError;

  private ScheduleResult(String nodeName, int feasibleNodes, FitError fitError) {
    this.nodeName = nodeName;
    this.feasibleNodes = feasibleNodes;
    this.fitError = fitError;
  }

  /** The pod goes to {@code nodeName}, chosen among {@code feasibleNodes} nodes it fits on. */
  public static ScheduleResult scheduled(String nodeName, int feasibleNodes) {
    return new ScheduleResult(Objects.requireNonNull(nodeName, "nodeName"), feasibleNodes, null);
  }

  public static ScheduleResult unschedulable(FitError fitError) {
    return new ScheduleResult(null, 0, Objects.requireNonNull(fitError, "fitError"));
  }

  public boolean isScheduled() {
    return nodeName != null;
  }

  /** The chosen node; only when {@link #isScheduled()}. */
  public String nodeName() {
    if (nodeName == null) {
      throw new IllegalStateException("not scheduled: " + fitError.message());
    }
    return nodeName;
  }

  public int feasibleNodes() {
    return feasibleNodes;
  }

  /** Why no node fits; only when not {@link #isScheduled()}. */
  public FitError fitError() {
    if (fitError == null) {
      throw new IllegalStateException("scheduled to " + nodeName);
    }
    return fitError;
  }

  @Override
  public String toString() {
    return isScheduled() ? "scheduled to " + nodeName + " (" + feasibleNodes + " feasible)" : fitError.message();
  }
}
