package io.minik8s.client.workqueue;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What a {@link Reconciler} asks for after one call. Immutable. */
public final class Result {
  private static final Result DONE = new Result(false, null);
  private static final Result REQUEUE = new Result(true, null);

  private final boolean requeue;
  private final Duration requeueAfter;

  private Result(boolean requeue, Duration requeueAfter) {
    this.requeue = requeue;
    this.requeueAfter = requeueAfter;
  }

  /** The world matches; nothing more until the next change (the key's back-off is reset). */
  public static Result done() {
    return DONE;
  }

  /** Try again with the key's back-off, without it counting as an error. */
  public static Result requeue() {
    return REQUEUE;
  }

  /** Try again after {@code delay} (the key's back-off is reset): waiting on time, not on an event. */
  public static Result requeueAfter(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay " + delay);
    }
    return new Result(false, delay);
  }

  public boolean isRequeue() {
    return requeue;
  }

  public Optional<Duration> requeueAfter() {
    return Optional.ofNullable(requeueAfter);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Result && ((Result) o).requeue == requeue
        && Objects.equals(((Result) o).requeueAfter, requeueAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requeue, requeueAfter);
  }

  @Override
  public String toString() {
    return requeueAfter != null ? "requeueAfter(" + requeueAfter + ")" : requeue ? "requeue" : "done";
  }
}
