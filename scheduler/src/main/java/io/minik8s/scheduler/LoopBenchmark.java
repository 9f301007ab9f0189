package io.minik8s.scheduler;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.Container;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.client.informer.Store;
import io.minik8s.scheduler.algorithm.FitError;
import io.minik8s.scheduler.algorithm.SchedulingAlgorithm;
import io.minik8s.scheduler.algorithm.SchedulingProfile;
import io.minik8s.scheduler.cache.SchedulerCache;
import io.minik8s.scheduler.queue.QueuedPod;
import io.minik8s.scheduler.queue.SchedulingQueue;
import io.minik8s.scheduler.report.SchedulingReporter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The scheduling loop alone, without the API server: how many pods a second {@link Scheduler#scheduleOne}
 * places on N nodes shaped like the hollow nodes (4 CPU, 16Gi, 110 pods) for P pods of Kubernetes'
 * scheduler_perf shape (100m, 500Mi). Binds take no time of their own but finish IN_FLIGHT pods late,
 * as API round trips and the watch do: a bind call runs (and the "informer" confirms it: the pod store
 * and the cache see the pod bound) only once IN_FLIGHT later decisions have been made, so the cache
 * holds that many assumed pods throughout. What is timed is the loop's own work: queue, snapshot,
 * filters, scores, assume, confirm. The ceiling the scheduler puts on {@code bench/run.sh scheduling}.
 * Usage: {@code java -cp scheduler/target/scheduler.jar io.minik8s.scheduler.LoopBenchmark [NODES PODS
 * IN_FLIGHT]} (default 1000 10000 1000); the first pass warms the JIT up, the second is reported.
 */
public final class LoopBenchmark {
  private LoopBenchmark() {}

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int pods = args.length > 1 ? Integer.parseInt(args[1]) : 10000;
    int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    run(nodes, pods, inFlight); // warm-up
    double perSecond = run(nodes, pods, inFlight);
    System.out.printf(Locale.ROOT, "scheduling loop: %d pods on %d nodes, %d binds in flight: %.0f pods/s "
        + "(%.3f ms per pod)%n", pods, nodes, inFlight, perSecond, 1000 / perSecond);
  }

  static double run(int nodeCount, int podCount, int inFlight) throws InterruptedException {
    ArrayDeque<Runnable> binds = new ArrayDeque<>();
    SchedulingQueue queue = new SchedulingQueue();
    SchedulerCache cache = new SchedulerCache();
    Store<Pod> store = new Store<>();
    for (int i = 0; i < nodeCount; i++) {
      cache.updateNode(node("node-" + i));
    }
    Scheduler scheduler = new Scheduler("default-scheduler", queue, cache,
        new SchedulingAlgorithm(SchedulingProfile.defaults(), RandomGenerator.of("L64X128MixRandom")), store,
        (pod, node) -> {
          Pod bound = pod.toBuilder().setSpec(pod.getSpec().toBuilder().setNodeName(node)).build();
          store.put(bound);
          cache.updatePod(bound);
        },
        binds::addLast, new SchedulingReporter() {
          @Override
          public void scheduled(Pod pod, String nodeName, Instant decidedAt) {
          }

          @Override
          public void unschedulable(Pod pod, FitError error) {
            throw new IllegalStateException("unschedulable: " + error.message());
          }
        }, new SchedulerMetrics(new SimpleMeterRegistry(), queue), System::nanoTime,
        Clock.systemUTC());
    for (int i = 0; i < podCount; i++) {
      Pod p = pod(i);
      store.put(p);
      queue.add(p);
    }
    long start = System.nanoTime();
    for (int i = 0; i < podCount; i++) {
      Optional<QueuedPod> next = queue.pop();
      scheduler.scheduleOne(next.orElseThrow());
      while (binds.size() > inFlight) {
        binds.pollFirst().run();
      }
    }
    while (!binds.isEmpty()) {
      binds.pollFirst().run();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    queue.close();
    return podCount / seconds;
  }

  private static Node node(String name) {
    return Node.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).putLabels("kubernetes.io/hostname", name))
        .setStatus(NodeStatus.newBuilder()
            .putCapacity("cpu", "4").putCapacity("memory", "16Gi").putCapacity("pods", "110")
            .putAllocatable("cpu", "4").putAllocatable("memory", "16Gi").putAllocatable("pods", "110")
            .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True")))
        .build();
  }

  private static Pod pod(int i) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("bench").setName("pod-" + i).setUid("uid-" + i)
            .setCreationTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_700_000_000L + i)))
        .setSpec(PodSpec.newBuilder().setSchedulerName("default-scheduler").addContainers(Container.newBuilder()
            .setName("c").setImage("pause")
            .setResources(ResourceRequirements.newBuilder().putRequests("cpu", "100m").putRequests("memory", "500Mi"))))
        .build();
  }
}
