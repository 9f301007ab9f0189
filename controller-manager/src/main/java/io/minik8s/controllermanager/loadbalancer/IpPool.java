package io.minik8s.controllermanager.loadbalancer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * The IPv4 addresses the load-balancer controller may hand out, as {@code --load-balancer-ip-pool}
 * gives them: a comma-separated list of CIDRs ({@code 192.168.50.0/28}) and inclusive ranges
 * ({@code 192.168.50.20-192.168.50.29}).
 *
 * <p>A CIDR of 30 bits or fewer gives its usable hosts only, without its network and broadcast
 * address (a client on that subnet would treat them as such); a {@code /31} or {@code /32} gives every
 * address, and so does a range. Overlapping items are merged. Addresses are unsigned 32-bit values in
 * a {@code long}. Immutable, so thread-safe.
 */
public final class IpPool {
  private static final IpPool EMPTY = new IpPool(List.of(), "");

  /** An inclusive range of addresses, {@code first <= last}. */
  record Range(long first, long last) {
    long size() {
      return last - first + 1;
    }
  }

  private final List<Range> ranges;
  private final String description;

  private IpPool(List<Range> ranges, String description) {
    this.ranges = List.copyOf(ranges);
    this.description = description;
  }

  public static IpPool empty() {
    return EMPTY;
  }

  /**
   * Parses the flag's value; blank means an empty pool.
   *
   * @throws IllegalArgumentException naming the item that is not a CIDR or range, and why
   */
  public static IpPool parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return EMPTY;
    }
    List<Range> parsed = new ArrayList<>();
    for (String raw : spec.split(",", -1)) {
      String item = raw.trim();
      if (item.isEmpty()) {
        throw new IllegalArgumentException("empty item in \"" + spec + "\"");
      }
      parsed.add(item(item));
    }
    parsed.sort(Comparator.comparingLong(Range::first));
    List<Range> merged = new ArrayList<>();
    for (Range r : parsed) {
      Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && r.first() <= last.last() + 1) {
        merged.set(merged.size() - 1, new Range(last.first(), Math.max(last.last(), r.last())));
      } else {
        merged.add(r);
      }
    }
    return new IpPool(merged, merged.stream().map(IpPool::describe).collect(Collectors.joining(",")));
  }

  private static Range item(String item) {
    int slash = item.indexOf('/');
    int dash = item.indexOf('-');
    if (slash >= 0) {
      long base = address(item.substring(0, slash), item);
      String bits = item.substring(slash + 1);
      int prefix;
      try {
        prefix = bits.matches("[0-9]{1,2}") ? Integer.parseInt(bits) : -1;
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > 32) {
        throw new IllegalArgumentException("\"" + item + "\": prefix length \"" + bits + "\" is not a number from 0 to 32");
      }
      long size = 1L << (32 - prefix);
      if (base % size != 0) {
        throw new IllegalArgumentException("\"" + item + "\" has host bits set: did you mean "
            + format(base - base % size) + "/" + prefix + "?");
      }
      if (prefix <= 30) {
        return new Range(base + 1, base + size - 2); // without network and broadcast address
      }
      return new Range(base, base + size - 1);
    }
    if (dash >= 0) {
      long first = address(item.substring(0, dash).trim(), item);
      long last = address(item.substring(dash + 1).trim(), item);
      if (first > last) {
        throw new IllegalArgumentException("\"" + item + "\": the first address is after the last");
      }
      return new Range(first, last);
    }
    throw new IllegalArgumentException("\"" + item
        + "\" is neither a CIDR (a.b.c.d/n) nor a range (a.b.c.d-a.b.c.e)");
  }

  private static long address(String text, String item) {
    OptionalLong a = parseAddress(text);
    if (a.isEmpty()) {
      throw new IllegalArgumentException("\"" + item + "\": \"" + text + "\" is not an IPv4 address"
          + (text.contains(":") ? " (IPv6 pools are not supported)" : ""));
    }
    return a.getAsLong();
  }

  /** A dotted-quad IPv4 address as an unsigned 32-bit value; empty for anything else (never resolves names). */
  static OptionalLong parseAddress(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return OptionalLong.empty();
    }
    long value = 0;
    for (String p : parts) {
      // Decimal only, and no leading zeros (which some tools read as octal).
      if (!p.matches("0|[1-9][0-9]{0,2}")) {
        return OptionalLong.empty();
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        return OptionalLong.empty();
      }
      value = value << 8 | octet;
    }
    return OptionalLong.of(value);
  }

  static String format(long address) {
    return (address >>> 24 & 255) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
  }

  private static String describe(Range r) {
    return r.size() == 1 ? format(r.first()) : format(r.first()) + "-" + format(r.last());
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** How many addresses the pool holds. */
  public long size() {
    return ranges.stream().mapToLong(Range::size).sum();
  }

  /** Whether {@code ip} is an IPv4 address of the pool (false for anything that is not an IPv4 address). */
  public boolean contains(String ip) {
    OptionalLong a = parseAddress(ip);
    return a.isPresent() && contains(a.getAsLong());
  }

  boolean contains(long address) {
    for (Range r : ranges) {
      if (address >= r.first() && address <= r.last()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The lowest address of the pool not in {@code used} (which may hold addresses outside the pool),
   * or empty. Costs the number of used addresses from the first range on, not the size of the pool.
   */
  OptionalLong lowestFree(NavigableSet<Long> used) {
    for (Range r : ranges) {
      long candidate = r.first();
      for (long u : used.tailSet(r.first(), true)) {
        if (u != candidate) {
          break; // u > candidate: candidate is free
        }
        candidate++;
      }
      if (candidate <= r.last()) {
        return OptionalLong.of(candidate);
      }
    }
    return OptionalLong.empty();
  }

  /** The pool as merged ranges ({@code 10.0.0.1-10.0.0.6,10.0.1.9}), or "" when empty. */
  @Override
  public String toString() {
    return description;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpPool p && p.ranges.equals(ranges);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ranges);
  }

  /** picocli: turns a bad value into a usage error that names the option and the bad item. */
  public static final class Converter implements CommandLine.ITypeConverter<IpPool> {
    @Override
    public IpPool convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
