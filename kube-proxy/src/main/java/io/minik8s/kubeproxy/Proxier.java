package io.minik8s.kubeproxy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minik8s.api.Endpoints;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.Node;
import io.minik8s.api.Service;
import io.minik8s.kubeproxy.iptables.IptablesException;
import io.minik8s.kubeproxy.iptables.IptablesRunner;
import io.minik8s.kubeproxy.iptables.SavedTable;
import io.minik8s.kubeproxy.rules.EndpointsInfo;
import io.minik8s.kubeproxy.rules.Jump;
import io.minik8s.kubeproxy.rules.NodeInfo;
import io.minik8s.kubeproxy.rules.ProxyConfig;
import io.minik8s.kubeproxy.rules.RuleGenerator;
import io.minik8s.kubeproxy.rules.RuleSet;
import io.minik8s.kubeproxy.rules.ServiceInfo;
import io.minik8s.kubeproxy.sync.BoundedFrequencyRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the iptables rules of this node equal to the Services and Endpoints it is told about.
 *
 * <p>Informer handlers call {@link #onService}, {@link #onEndpoints} and {@link #onNode}; these only
 * record the new state and mark the proxier dirty (cheap, any thread). One sync thread ({@link #start})
 * turns the state into a {@link RuleSet} and applies it: at most once per {@code minSyncPeriod} (so a
 * burst of changes is one restore), and at least once per {@code syncPeriod} as a full resync that
 * compares iptables-save of our chains with what it last programmed and re-applies on any difference
 * (drift repair). A sync whose rules are unchanged is skipped without calling iptables.
 *
 * <p>On the first sync it adopts what exists: our chains are read from iptables-save, refilled
 * atomically by the restore (traffic keeps flowing through the old rules until the commit), and the
 * ones no longer wanted are deleted in the same restore. {@link #sync} is synchronized: callers (the
 * loop, tests, the benchmark) never interleave.
 */
public final class Proxier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Proxier.class);

  private final IptablesRunner iptables;
  private final ProxyConfig config;
  private final Duration minSyncPeriod;
  private final Duration syncPeriod;
  private final String nodeName;

  private final Map<String, List<ServiceInfo>> services = new ConcurrentHashMap<>();
  private final Map<String, Map<String, EndpointsInfo>> endpoints = new ConcurrentHashMap<>();
  private volatile NodeInfo node = NodeInfo.none();

  private final BoundedFrequencyRunner runner;

  // Sync state, guarded by "this".
  /** Per table, the rule set last written there (what a partial restore is computed against). */
  private final Map<String, RuleSet> applied = new HashMap<>();
  private final Map<String, Set<String>> knownChains = new HashMap<>();
  private boolean adopted;
  private List<String> snapshot;

  private final Timer syncDuration;
  private final AtomicLong rulesProgrammed = new AtomicLong();
  private final AtomicLong lastSyncMillis = new AtomicLong();

  public Proxier(IptablesRunner iptables, ProxyConfig config, String nodeName, Duration minSyncPeriod,
      Duration syncPeriod, MeterRegistry meters) {
    this.iptables = iptables;
    this.config = config;
    this.nodeName = nodeName;
    this.minSyncPeriod = minSyncPeriod;
    this.syncPeriod = syncPeriod;
    this.runner = new BoundedFrequencyRunner("proxier-sync", minSyncPeriod, syncPeriod, this::sync);
    this.syncDuration = Timer.builder("kubeproxy_sync_proxy_rules_duration")
        .description("Time of one sync of the proxy rules (generate and iptables-restore)")
        .publishPercentileHistogram().register(meters);
    Gauge.builder("kubeproxy_sync_proxy_rules_iptables_total", rulesProgrammed, AtomicLong::get)
        .description("Rules programmed by the last sync").register(meters);
    Gauge.builder("kubeproxy_sync_proxy_rules_last_timestamp_seconds", lastSyncMillis, v -> v.get() / 1000.0)
        .description("Unix time of the last successful sync").register(meters);
  }

  /** Records {@code service} (null: deleted) under its "namespace/name". */
  public void onService(String key, Service service) {
    if (service == null) {
      services.remove(key);
    } else {
      services.put(key, ServiceInfo.fromService(service));
    }
    runner.requestSync();
  }

  /** Records {@code value} (null: deleted) under its "namespace/name". */
  public void onEndpoints(String key, Endpoints value) {
    if (value == null) {
      endpoints.remove(key);
    } else {
      endpoints.put(key, EndpointsInfo.fromEndpoints(value));
    }
    runner.requestSync();
  }

  /** Follows this node's addresses; other nodes are ignored. */
  public void onNode(Node value) {
    if (value == null || !value.getMetadata().getName().equals(nodeName)) {
      return;
    }
    List<String> addresses = new ArrayList<>();
    for (NodeAddress address : value.getStatus().getAddressesList()) {
      if (address.getType().equals("InternalIP") || address.getType().equals("ExternalIP")) {
        addresses.add(address.getAddress());
      }
    }
    NodeInfo next = new NodeInfo(addresses);
    if (!next.equals(node)) {
      node = next;
      runner.requestSync();
    }
  }

  /** The rule set for the current state (pure; no iptables call). */
  public RuleSet desired() {
    List<ServiceInfo> all = new ArrayList<>();
    services.values().forEach(all::addAll);
    Map<String, EndpointsInfo> eps = new HashMap<>();
    endpoints.values().forEach(eps::putAll);
    return RuleGenerator.generate(all, eps, node, config);
  }

  /**
   * One sync. Applies the desired rules if they differ from what was last applied; with {@code full},
   * also when iptables-save shows our chains differ from what they were after our last full sync.
   *
   * @return true if iptables was written, false if the sync was skipped as a no-op
   */
  public synchronized boolean sync(boolean full) throws IptablesException {
    long start = System.nanoTime();
    RuleSet rules = desired();
    if (!adopted) {
      for (String table : RuleSet.TABLES) {
        knownChains.put(table, SavedTable.chains(iptables.save(table), RuleSet.CHAIN_PREFIX));
      }
      adopted = true;
      full = true;
      snapshot = null;
    }
    boolean unchanged = RuleSet.TABLES.stream()
        .allMatch(t -> applied.containsKey(t) && rules.sameAs(t, applied.get(t)));
    if (unchanged && !full) {
      return false;
    }
    if (unchanged && snapshot != null && snapshot.equals(takeSnapshot())) {
      lastSyncMillis.set(System.currentTimeMillis());
      return false;
    }
    if (unchanged) {
      log.atInfo().log("rules differ from what was programmed (changed by hand?) or were never checked: re-applying");
    }
    for (String table : RuleSet.TABLES) {
      RuleSet previous = applied.get(table);
      if (!full && previous != null && rules.sameAs(table, previous)) {
        continue;
      }
      try {
        if (full || previous == null) {
          iptables.restore(table, rules.restoreText(table, knownChains.getOrDefault(table, Set.of())));
        } else {
          // Between full syncs only the chains that changed are written: see RuleSet.changedRestoreText.
          iptables.restore(table, rules.changedRestoreText(table, previous));
        }
      } catch (IptablesException e) {
        // Our idea of which chains exist may be wrong (deleted by hand): re-read and rewrite everything.
        log.atWarn().addKeyValue("table", table).setCause(e).log("restore failed; retrying in full with the saved chains");
        knownChains.put(table, SavedTable.chains(iptables.save(table), RuleSet.CHAIN_PREFIX));
        applied.remove(table);
        iptables.restore(table, rules.restoreText(table, knownChains.get(table)));
      }
      knownChains.put(table, rules.chains(table));
      applied.put(table, rules);
    }
    if (full) {
      for (Jump jump : rules.jumps()) {
        iptables.ensureJump(jump);
      }
      snapshot = takeSnapshot();
    } else {
      snapshot = null;
    }
    long elapsed = System.nanoTime() - start;
    syncDuration.record(elapsed, TimeUnit.NANOSECONDS);
    rulesProgrammed.set(rules.ruleCount());
    lastSyncMillis.set(System.currentTimeMillis());
    log.atDebug().addKeyValue("rules", rules.ruleCount()).addKeyValue("full", full)
        .addKeyValue("ms", elapsed / 1_000_000).log("synced proxy rules");
    return true;
  }

  private List<String> takeSnapshot() throws IptablesException {
    List<String> lines = new ArrayList<>();
    for (String table : RuleSet.TABLES) {
      lines.add("*" + table);
      lines.addAll(SavedTable.linesMentioning(iptables.save(table), RuleSet.CHAIN_PREFIX));
    }
    return lines;
  }

  /** Milliseconds since the epoch of the last successful sync (or check), 0 before the first. */
  public long lastSyncMillis() {
    return lastSyncMillis.get();
  }

  /** True when a sync (or a full check) succeeded within two sync periods. */
  public boolean isHealthy() {
    long last = lastSyncMillis.get();
    return last > 0 && System.currentTimeMillis() - last < 2 * syncPeriod.toMillis() + minSyncPeriod.toMillis();
  }

  /** Starts the sync thread: a sync at once (full), then as {@link BoundedFrequencyRunner} schedules. */
  public void start() {
    runner.start();
  }

  /** Stops the sync thread (rules stay in place: traffic keeps flowing while the proxy is down). */
  @Override
  public void close() throws InterruptedException {
    runner.close();
  }

  /** Removes every chain of ours and every jump into them, in both tables ({@code --cleanup}). */
  public static void cleanup(IptablesRunner iptables) throws IptablesException {
    // nat first: its jumps send traffic into chains; filter only rejects.
    for (String table : RuleSet.TABLES) {
      iptables.deleteChainsWithPrefix(table, RuleSet.CHAIN_PREFIX);
    }
  }
}
