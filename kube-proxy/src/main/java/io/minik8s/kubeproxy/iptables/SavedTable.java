package io.minik8s.kubeproxy.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Reading iptables-save output: which chains exist, and the lines that concern chains with a prefix. */
public final class SavedTable {
  private SavedTable() {}

  /** Names of all chains declared in {@code saved} ({@code :NAME POLICY [p:b]} lines) that start with {@code prefix}. */
  public static SortedSet<String> chains(String saved, String prefix) {
    SortedSet<String> out = new TreeSet<>();
    for (String line : (Iterable<String>) saved.lines()::iterator) {
      if (line.startsWith(":" + prefix)) {
        int space = line.indexOf(' ');
        out.add(line.substring(1, space < 0 ? line.length() : space));
      }
    }
    return out;
  }

  /**
   * The lines of {@code saved} that mention {@code prefix} (our chains' declarations without counters,
   * their rules, and the jumps into them), in save order: a fingerprint of what we programmed, used to
   * notice rules changed behind our back.
   */
  public static List<String> linesMentioning(String saved, String prefix) {
    List<String> out = new ArrayList<>();
    for (String line : (Iterable<String>) saved.lines()::iterator) {
      if (!line.contains(prefix)) {
        continue;
      }
      if (line.startsWith(":")) {
        int space = line.indexOf(' ');
        line = space < 0 ? line : line.substring(0, space);
      }
      out.add(line);
    }
    return out;
  }
}
