package io.minik8s.kubeproxy.rules;

import java.util.List;

/**
 * A rule in a built-in chain that sends traffic into one of our chains, e.g. nat PREROUTING →
 * MINIK8S-SERVICES. Installed with {@code iptables -C} before {@code -I}, so never twice.
 *
 * @param table "nat" or "filter"
 * @param chain the built-in chain ("PREROUTING", ...)
 * @param ruleSpec the match and target arguments, one argv element each (ends with "-j", target)
 */
public record Jump(String table, String chain, List<String> ruleSpec) {
  public Jump {
    ruleSpec = List.copyOf(ruleSpec);
  }

  public String target() {
    return ruleSpec.get(ruleSpec.size() - 1);
  }
}
