package io.minik8s.scheduler.algorithm;

import io.minik8s.scheduler.cache.Snapshot;
import io.minik8s.scheduler.framework.Filter;
import io.minik8s.scheduler.framework.FilterResult;
import io.minik8s.scheduler.framework.NodeInfo;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.WeightedScorer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Decides where one pod goes, as a function of the pod and a snapshot: filter the nodes (the first
 * filter that rejects a node gives its reasons), score the feasible ones with every scorer, add the
 * weighted scores, and pick the highest; among equal totals one is picked at random (each with the
 * same chance), so equal nodes share the load. No I/O.
 *
 * <p>As Kubernetes does ({@code percentageOfNodesToScore}), a big cluster is not searched whole for
 * every pod: filtering stops once enough feasible nodes are found ({@link #feasibleNodesToFind}: all of
 * them below 100 nodes, then a share falling from 50% to 5% as the cluster grows, never fewer than 100),
 * and the next pod's search starts where this one stopped, so every node gets its turn. A pod that fits
 * nowhere is still checked against every node, so its fit error counts them all. The start index is
 * the only state besides the random source.
 *
 * <p>Thread-safety: none; the scheduler calls it from its one loop thread.
 */
public final class SchedulingAlgorithm {
  /** Kubernetes' floor: at least this many feasible nodes are scored when the cluster has them. */
  static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  /** Kubernetes' floor of the adaptive percentage. */
  static final int MIN_FEASIBLE_NODES_PERCENTAGE = 5;

  private final SchedulingProfile profile;
  private final RandomGenerator random;
  private final int percentageOfNodesToScore;
  private int nextStartIndex;

  /** With Kubernetes' adaptive share of nodes to score. */
  public SchedulingAlgorithm(SchedulingProfile profile, RandomGenerator random) {
    this(profile, random, 0);
  }

  /**
   * @param percentageOfNodesToScore share of the nodes (1..100) whose filtering may stop the search once
   *     that many are feasible; 0 for Kubernetes' adaptive share
   */
  public SchedulingAlgorithm(SchedulingProfile profile, RandomGenerator random, int percentageOfNodesToScore) {
    if (percentageOfNodesToScore < 0 || percentageOfNodesToScore > 100) {
      throw new IllegalArgumentException("percentageOfNodesToScore must be 0..100, got " + percentageOfNodesToScore);
    }
    this.profile = Objects.requireNonNull(profile, "profile");
    this.random = Objects.requireNonNull(random, "random");
    this.percentageOfNodesToScore = percentageOfNodesToScore;
  }

  /**
   * How many feasible nodes end the search in a cluster of {@code nodes}: every node below
   * {@value #MIN_FEASIBLE_NODES_TO_FIND}; else {@code percentage} of them (adaptive when 0:
   * {@code 50 - nodes/125}, at least {@value #MIN_FEASIBLE_NODES_PERCENTAGE}), at least
   * {@value #MIN_FEASIBLE_NODES_TO_FIND}. (1,000 nodes: 420; 5,000: 500.)
   */
  static int feasibleNodesToFind(int nodes, int percentage) {
    if (nodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) {
      return nodes;
    }
    int pct = percentage;
    if (pct == 0) {
      pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - nodes / 125);
    }
    return Math.max(MIN_FEASIBLE_NODES_TO_FIND, (int) ((long) nodes * pct / 100));
  }

  public ScheduleResult schedule(PodInfo pod, Snapshot snapshot) {
    int n = snapshot.size();
    if (n == 0) {
      return ScheduleResult.unschedulable(FitError.noNodes());
    }
    int wanted = feasibleNodesToFind(n, percentageOfNodesToScore);
    List<NodeInfo> nodes = snapshot.nodes();
    List<NodeInfo> feasible = new ArrayList<>(Math.min(n, wanted));
    Map<String, Integer> reasons = new HashMap<>();
    int start = nextStartIndex % n;
    int checked = 0;
    while (checked < n && feasible.size() < wanted) {
      NodeInfo node = nodes.get((start + checked) % n);
      checked++;
      FilterResult rejected = firstRejection(pod, node);
      if (rejected == null) {
        feasible.add(node);
      } else {
        for (String reason : rejected.reasons()) {
          reasons.merge(reason, 1, Integer::sum);
        }
      }
    }
    nextStartIndex = (start + checked) % n;
    if (feasible.isEmpty()) {
      return ScheduleResult.unschedulable(FitError.of(snapshot.size(), reasons));
    }
    if (feasible.size() == 1) {
      return ScheduleResult.scheduled(feasible.get(0).name(), 1);
    }
    long[] totals = totalScores(pod, feasible);
    int best = -1;
    int ties = 0;
    for (int i = 0; i < totals.length; i++) {
      if (best < 0 || totals[i] > totals[best]) {
        best = i;
        ties = 1;
      } else if (totals[i] == totals[best]) {
        ties++;
        // Reservoir sampling: the i-th of k equal nodes replaces the pick with probability 1/k.
        if (random.nextInt(ties) == 0) {
          best = i;
        }
      }
    }
    return ScheduleResult.scheduled(feasible.get(best).name(), feasible.size());
  }

  /** The weighted sum of every scorer's (normalized) score, per node of {@code nodes}. */
  public long[] totalScores(PodInfo pod, List<NodeInfo> nodes) {
    long[] totals = new long[nodes.size()];
    for (WeightedScorer ws : profile.scorers()) {
      long[] scores = new long[nodes.size()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = ws.scorer().score(pod, nodes.get(i));
      }
      ws.scorer().normalize(pod, nodes, scores);
      for (int i = 0; i < scores.length; i++) {
        totals[i] += scores[i] * ws.weight();
      }
    }
    return totals;
  }

  private FilterResult firstRejection(PodInfo pod, NodeInfo node) {
    for (Filter f : profile.filters()) {
      FilterResult r = f.filter(pod, node);
      if (!r.isFit()) {
        return r;
      }
    }
    return null;
  }
}
