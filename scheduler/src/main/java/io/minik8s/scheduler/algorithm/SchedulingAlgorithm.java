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
 * Decides where one pod goes, as a function of the pod and a snapshot: filter every node (the first
 * filter that rejects a node gives its reasons), score the nodes left with every scorer, add the
 * weighted scores, and pick the highest; among equal totals one is picked at random (each with the
 * same chance), so equal nodes share the load. No I/O and no state besides the random source, so the
 * same inputs always allow the same set of answers.
 *
 * <p>Thread-safety: as safe as the random generator given; the scheduler calls it from one thread.
 */
public final class SchedulingAlgorithm {
  private final SchedulingProfile profile;
  private final RandomGenerator random;

  public SchedulingAlgorithm(SchedulingProfile profile, RandomGenerator random) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.random = Objects.requireNonNull(random, "random");
  }

  public ScheduleResult schedule(PodInfo pod, Snapshot snapshot) {
    if (snapshot.size() == 0) {
      return ScheduleResult.unschedulable(FitError.noNodes());
    }
    List<NodeInfo> feasible = new ArrayList<>(snapshot.size());
    Map<String, Integer> reasons = new HashMap<>();
    for (NodeInfo node : snapshot.nodes()) {
      FilterResult rejected = firstRejection(pod, node);
      if (rejected == null) {
        feasible.add(node);
      } else {
        for (String reason : rejected.reasons()) {
          reasons.merge(reason, 1, Integer::sum);
        }
      }
    }
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
