package io.minik8s.kubeproxy.iptables;

import io.minik8s.kubeproxy.rules.Jump;

/**
 * What the proxier needs from iptables, nothing more. Implementations must be safe to call from one
 * thread at a time (the proxier's sync thread); iptables' own lock ({@code -w}) orders us against other
 * programs.
 */
public interface IptablesRunner {
  /** Applies {@code rules} (iptables-restore format for {@code table}) atomically without flushing other chains. */
  void restore(String table, String rules) throws IptablesException;

  /** The whole of {@code table} as iptables-save prints it. */
  String save(String table) throws IptablesException;

  /** Inserts {@code jump} at the top of its built-in chain unless an identical rule is there already. */
  void ensureJump(Jump jump) throws IptablesException;

  /**
   * Deletes, in {@code table}, every chain whose name starts with {@code prefix} and every rule in other
   * chains that jumps to one of them, in one atomic restore. No-op when there are none.
   */
  void deleteChainsWithPrefix(String table, String prefix) throws IptablesException;
}
