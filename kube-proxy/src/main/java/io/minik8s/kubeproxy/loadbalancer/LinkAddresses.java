package io.minik8s.kubeproxy.loadbalancer;

import java.util.Optional;
import java.util.Set;

/**
 * The addresses of one network interface of our own, nothing more: what {@link LoadBalancerAddressBinder}
 * needs from {@code ip link} and {@code ip addr}. Addresses are IPv4 literals, each held as a /32.
 * Implementations need not be thread-safe: the binder calls them from one thread at a time.
 */
public interface LinkAddresses {
  /** The link as it is now: whether it is up and its global addresses; empty when it does not exist. */
  record LinkState(boolean up, Set<String> addresses) {
    public LinkState {
      addresses = Set.copyOf(addresses);
    }
  }

  /** The interface's name, e.g. {@code minik8s-lb0}. */
  String linkName();

  Optional<LinkState> read() throws LinkException;

  /** Creates the link and sets it up. */
  void create() throws LinkException;

  /** Sets an existing link up (someone set it down). */
  void setUp() throws LinkException;

  /** Deletes the link with every address on it. */
  void delete() throws LinkException;

  void addAddress(String ip) throws LinkException;

  void deleteAddress(String ip) throws LinkException;
}
