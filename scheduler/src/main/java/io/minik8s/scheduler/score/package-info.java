/**
 * The scorers: each ranks the nodes a pod fits on, 0 to 100. {@link
 * io.minik8s.scheduler.score.LeastRequestedScorer} (most room left), {@link
 * io.minik8s.scheduler.score.BalancedAllocationScorer} (CPU and memory used alike) and {@link
 * io.minik8s.scheduler.score.SelectorSpreadScorer} (fewest pods of the same controller).
 *
 * <p>Input: a pod and the feasible nodes of a snapshot. Output: one score per node; the algorithm
 * weighs and sums them. No state, no I/O.
 */
package io.minik8s.scheduler.score;
