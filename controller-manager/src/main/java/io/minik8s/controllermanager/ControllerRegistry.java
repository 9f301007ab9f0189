package io.minik8s.controllermanager;

import io.minik8s.controllermanager.deployment.DeploymentController;
import io.minik8s.controllermanager.endpoints.EndpointsController;
import io.minik8s.controllermanager.garbagecollector.GarbageCollector;
import io.minik8s.controllermanager.loadbalancer.IpPool;
import io.minik8s.controllermanager.loadbalancer.ServiceLoadBalancerController;
import io.minik8s.controllermanager.nodelifecycle.NodeLifecycleController;
import io.minik8s.controllermanager.nodelifecycle.NodeLifecycleSettings;
import io.minik8s.controllermanager.replicaset.ReplicaSetController;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The controllers this process knows, by name, and the choice among them that {@code --controllers}
 * makes, as kube-controller-manager reads it: a comma-separated list where {@code *} means every
 * controller, {@code name} enables one and {@code -name} disables one ({@code *,-nodelifecycle}).
 * A name given explicitly wins over {@code *} whatever the order. Not thread-safe: built at start-up.
 */
public final class ControllerRegistry {
  /** Makes a controller from its context (called once per enabled controller). */
  @FunctionalInterface
  public interface Factory {
    Controller create(ControllerContext context);
  }

  private final Map<String, Factory> factories = new LinkedHashMap<>();

  /** Every controller minik8s ships, in start order. */
  public static ControllerRegistry defaults() {
    return defaults(NodeLifecycleSettings.DEFAULTS);
  }

  /** {@link #defaults()} with the node lifecycle controller's timing from the flags. */
  public static ControllerRegistry defaults(NodeLifecycleSettings nodeLifecycle) {
    return defaults(nodeLifecycle, IpPool.empty());
  }

  /**
   * {@link #defaults()} configured from the flags: the node lifecycle controller's timing and the
   * load-balancer controller's pool (with an empty pool that controller runs idle).
   */
  public static ControllerRegistry defaults(NodeLifecycleSettings nodeLifecycle, IpPool loadBalancerPool) {
    return new ControllerRegistry()
        .add(ReplicaSetController.NAME, ReplicaSetController::create)
        .add(DeploymentController.NAME, DeploymentController::create)
        .add(EndpointsController.NAME, EndpointsController::create)
        .add(ServiceLoadBalancerController.NAME, c -> ServiceLoadBalancerController.create(c, loadBalancerPool))
        .add(NodeLifecycleController.NAME, c -> NodeLifecycleController.create(c, nodeLifecycle))
        .add(GarbageCollector.NAME, GarbageCollector::create);
  }

  /** Adds a controller; names are unique. */
  public ControllerRegistry add(String name, Factory factory) {
    if (factories.putIfAbsent(name, factory) != null) {
      throw new IllegalArgumentException("controller " + name + " registered twice");
    }
    return this;
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(factories.keySet());
  }

  public Factory factory(String name) {
    Factory f = factories.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown controller " + name);
    }
    return f;
  }

  /**
   * The names {@code spec} enables, in registry order.
   *
   * @throws IllegalArgumentException for an empty item or a name no controller has
   */
  public List<String> select(String spec) {
    Set<String> enabled = new HashSet<>();
    Set<String> disabled = new HashSet<>();
    boolean all = false;
    for (String raw : spec.split(",", -1)) {
      String item = raw.trim();
      if (item.equals("*")) {
        all = true;
        continue;
      }
      boolean off = item.startsWith("-");
      String name = off ? item.substring(1) : item;
      if (name.isEmpty()) {
        throw new IllegalArgumentException("--controllers: empty item in \"" + spec + "\"");
      }
      if (!factories.containsKey(name)) {
        throw new IllegalArgumentException("--controllers: unknown controller \"" + name + "\" (known: "
            + String.join(", ", factories.keySet()) + ")");
      }
      (off ? disabled : enabled).add(name);
    }
    List<String> result = new ArrayList<>();
    for (String name : factories.keySet()) {
      if (!disabled.contains(name) && (all || enabled.contains(name))) {
        result.add(name);
      }
    }
    return result;
  }
}
