package io.minik8s.kubeproxy.rules;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The desired content of our chains, per table, as produced by {@link RuleGenerator}. Immutable.
 *
 * <p>{@link #restoreText} is the input for {@code iptables-restore --noflush}: declaring a chain
 * ({@code :NAME - [0:0]}) creates or empties it, the {@code -A} lines refill it, and chains that exist
 * but are no longer wanted are emptied and deleted ({@code -X}) in the same transaction, so traffic never
 * sees a half-programmed state. Two rule sets with equal {@link #text()} program identical rules.
 */
public final class RuleSet {
  /** Every chain we own starts with this; nothing else is ever touched (except our jumps). */
  public static final String CHAIN_PREFIX = "MINIK8S-";
  public static final List<String> TABLES = List.of("nat", "filter");

  private final Map<String, SortedSet<String>> chains;
  private final Map<String, String> rules;
  private final List<Jump> jumps;
  private final int ruleCount;
  private final String text;
  private final Map<String, Map<String, String>> byChain = new java.util.concurrent.ConcurrentHashMap<>();

  RuleSet(Map<String, SortedSet<String>> chains, Map<String, String> rules, List<Jump> jumps) {
    this.chains = Map.copyOf(chains);
    this.rules = Map.copyOf(rules);
    this.jumps = List.copyOf(jumps);
    this.ruleCount = (int) rules.values().stream().flatMap(String::lines).filter(l -> l.startsWith("-A ")).count();
    StringBuilder all = new StringBuilder();
    for (String table : TABLES) {
      all.append(restoreText(table, List.of()));
    }
    this.text = all.toString();
  }

  /** The chains of {@code table} this rule set fills, sorted. */
  public SortedSet<String> chains(String table) {
    return chains.getOrDefault(table, new TreeSet<>());
  }

  /** The jumps from built-in chains into ours. */
  public List<Jump> jumps() {
    return jumps;
  }

  /** Number of {@code -A} rules in all tables. */
  public int ruleCount() {
    return ruleCount;
  }

  /** Both tables' restore text without stale-chain deletions: equal text, equal rules. */
  public String text() {
    return text;
  }

  /**
   * The {@code iptables-restore --noflush} input for {@code table}: our chains, their rules, and the
   * deletion of every chain in {@code existingChains} that starts with {@link #CHAIN_PREFIX} and is no
   * longer wanted (sorted, so deterministic).
   */
  public String restoreText(String table, Collection<String> existingChains) {
    SortedSet<String> wanted = chains(table);
    SortedSet<String> stale = new TreeSet<>();
    for (String chain : existingChains) {
      if (chain.startsWith(CHAIN_PREFIX) && !wanted.contains(chain)) {
        stale.add(chain);
      }
    }
    StringBuilder b = new StringBuilder(rules.getOrDefault(table, "").length() + 64 * (wanted.size() + stale.size()));
    b.append('*').append(table).append('\n');
    for (String chain : wanted) {
      b.append(':').append(chain).append(" - [0:0]\n");
    }
    for (String chain : stale) {
      b.append(':').append(chain).append(" - [0:0]\n");
    }
    b.append(rules.getOrDefault(table, ""));
    for (String chain : stale) {
      b.append("-X ").append(chain).append('\n');
    }
    b.append("COMMIT\n");
    return b.toString();
  }

  /**
   * The {@code iptables-restore --noflush} input that turns {@code previous} (what was last applied to
   * {@code table}) into this rule set by naming only what changed: each chain that is new or whose rules
   * differ (declared, which flushes it, then filled), and each chain of {@code previous} no longer wanted
   * (flushed, then deleted). Chains left out keep their rules untouched. Kubernetes' kube-proxy does
   * the same ("partial syncs"): with iptables-nft a restore costs about rules × chains named, so one
   * changed Service among thousands costs milliseconds instead of the full restore's seconds.
   * A chain removed here is only referenced from chains that changed as well (its Service's or the
   * top chain), which this same transaction rewrites first.
   */
  public String changedRestoreText(String table, RuleSet previous) {
    Map<String, String> now = rulesByChain(table);
    Map<String, String> before = previous.rulesByChain(table);
    SortedSet<String> changed = new TreeSet<>();
    for (String chain : chains(table)) {
      if (!previous.chains(table).contains(chain) || !now.getOrDefault(chain, "").equals(before.getOrDefault(chain, ""))) {
        changed.add(chain);
      }
    }
    SortedSet<String> stale = new TreeSet<>(previous.chains(table));
    stale.removeAll(chains(table));
    StringBuilder b = new StringBuilder();
    b.append('*').append(table).append('\n');
    for (String chain : changed) {
      b.append(':').append(chain).append(" - [0:0]\n");
    }
    for (String chain : stale) {
      b.append(':').append(chain).append(" - [0:0]\n");
    }
    for (String chain : changed) {
      b.append(now.getOrDefault(chain, ""));
    }
    for (String chain : stale) {
      b.append("-X ").append(chain).append('\n');
    }
    b.append("COMMIT\n");
    return b.toString();
  }

  /** Whether {@link #changedRestoreText} has nothing to do for {@code table}. */
  public boolean sameAs(String table, RuleSet previous) {
    return rules.getOrDefault(table, "").equals(previous.rules.getOrDefault(table, ""))
        && chains(table).equals(previous.chains(table));
  }

  /** Each chain's {@code -A} lines, in order; computed once per table and kept (the set is immutable). */
  private Map<String, String> rulesByChain(String table) {
    return byChain.computeIfAbsent(table, t -> {
      Map<String, StringBuilder> grouped = new HashMap<>();
      for (String line : rules.getOrDefault(t, "").split("\n")) {
        if (line.startsWith("-A ")) {
          int end = line.indexOf(' ', 3);
          String chain = end < 0 ? line.substring(3) : line.substring(3, end);
          grouped.computeIfAbsent(chain, c -> new StringBuilder()).append(line).append('\n');
        }
      }
      Map<String, String> out = new HashMap<>();
      grouped.forEach((chain, text) -> out.put(chain, text.toString()));
      return out;
    });
  }

  /** The restore text that deletes every chain of ours in {@code existingChains} (for cleanup). */
  public static String deleteAllText(String table, Collection<String> existingChains) {
    return new RuleSet(Map.of(), Map.of(), List.of()).restoreText(table, existingChains);
  }
}
