package io.minik8s.apiserver.registry.core.allocation;

/** An inclusive range of port numbers, such as the NodePort range {@code 30000-32767}. Immutable. */
public record PortRange(int first, int last) {

  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException("invalid port range " + first + "-" + last);
    }
  }

  /** Parses {@code first-last} (or a single port). */
  public static PortRange parse(String range) {
    try {
      int dash = range.indexOf('-');
      if (dash < 0) {
        int p = Integer.parseInt(range.trim());
        return new PortRange(p, p);
      }
      return new PortRange(Integer.parseInt(range.substring(0, dash).trim()),
          Integer.parseInt(range.substring(dash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port range " + range);
    }
  }

  public int size() {
    return last - first + 1;
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
