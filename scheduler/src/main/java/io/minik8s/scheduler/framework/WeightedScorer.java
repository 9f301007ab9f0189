package io.minik8s.scheduler.framework;

import java.util.Objects;

/** A scorer and how much its score counts in a node's total. */
public record WeightedScorer(Scorer scorer, int weight) {
  public WeightedScorer {
    Objects.requireNonNull(scorer, "scorer");
    if (weight <= 0) {
      throw new IllegalArgumentException("weight must be positive, got " + weight);
    }
  }
}
