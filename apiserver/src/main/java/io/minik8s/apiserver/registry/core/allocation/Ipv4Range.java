package io.minik8s.apiserver.registry.core.allocation;

import java.util.Optional;

/**
 * An IPv4 CIDR block whose usable addresses (all but the network and broadcast address) are numbered
 * by an offset from 0. Immutable.
 */
public record Ipv4Range(String cidr, long network, int prefixLength) {

  /** Parses {@code a.b.c.d/n}; IllegalArgumentException when it is not an IPv4 CIDR with room for an address. */
  public static Ipv4Range parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    long ip = toLong(cidr.substring(0, slash)).orElseThrow(() -> new IllegalArgumentException("not an IPv4 CIDR: " + cidr));
    int bits;
    try {
      bits = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR: " + cidr);
    }
    if (bits < 1 || bits > 30) {
      throw new IllegalArgumentException("the prefix length of " + cidr + " must be between 1 and 30");
    }
    long mask = (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
    return new Ipv4Range(cidr, ip & mask, bits);
  }

  /** How many addresses can be handed out. */
  public long size() {
    return (1L << (32 - prefixLength)) - 2;
  }

  /** The address with this offset (0 = the first usable address). */
  public String address(long offset) {
    if (offset < 0 || offset >= size()) {
      throw new IndexOutOfBoundsException("offset " + offset + " is outside " + cidr);
    }
    return toString(network + 1 + offset);
  }

  /** The offset of a usable address of this range, or empty when {@code ip} is not one. */
  public Optional<Long> offsetOf(String ip) {
    return toLong(ip).map(v -> v - network - 1).filter(o -> o >= 0 && o < size());
  }

  public boolean contains(String ip) {
    return offsetOf(ip).isPresent();
  }

  static Optional<Long> toLong(String ip) {
    String[] parts = ip.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return Optional.empty();
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        return Optional.empty();
      }
      v = (v << 8) | octet;
    }
    return Optional.of(v);
  }

  static String toString(long v) {
    return ((v >> 24) & 0xFF) + "." + ((v >> 16) & 0xFF) + "." + ((v >> 8) & 0xFF) + "." + (v & 0xFF);
  }

  @Override
  public String toString() {
    return cidr;
  }
}
