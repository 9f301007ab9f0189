package io.minik8s.kubeproxy.loadbalancer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** An in-memory link that records each call ({@code "create"}, {@code "add 10.0.0.1"}, ...). Thread-safe. */
final class FakeLink implements LinkAddresses {
  private boolean exists;
  private boolean up;
  private final Set<String> addresses = new TreeSet<>();
  private final List<String> calls = new ArrayList<>();
  private LinkException failNext;

  @Override
  public String linkName() {
    return "fake-lb0";
  }

  @Override
  public synchronized Optional<LinkState> read() throws LinkException {
    fail();
    return exists ? Optional.of(new LinkState(up, addresses)) : Optional.empty();
  }

  @Override
  public synchronized void create() throws LinkException {
    fail();
    if (exists) {
      throw new LinkException("exists");
    }
    calls.add("create");
    exists = true;
    up = true;
  }

  @Override
  public synchronized void setUp() throws LinkException {
    fail();
    calls.add("up");
    up = true;
  }

  @Override
  public synchronized void delete() throws LinkException {
    fail();
    calls.add("delete");
    exists = false;
    addresses.clear();
  }

  @Override
  public synchronized void addAddress(String ip) throws LinkException {
    fail();
    if (!exists || !addresses.add(ip)) {
      throw new LinkException("cannot add " + ip);
    }
    calls.add("add " + ip);
  }

  @Override
  public synchronized void deleteAddress(String ip) throws LinkException {
    fail();
    if (!addresses.remove(ip)) {
      throw new LinkException("cannot delete " + ip);
    }
    calls.add("del " + ip);
  }

  private void fail() throws LinkException {
    LinkException e = failNext;
    failNext = null;
    if (e != null) {
      throw e;
    }
  }

  /** The calls so far, and forgets them. */
  synchronized List<String> takeCalls() {
    List<String> c = List.copyOf(calls);
    calls.clear();
    return c;
  }

  synchronized Optional<Set<String>> addresses() {
    return exists ? Optional.of(Set.copyOf(addresses)) : Optional.empty();
  }

  /** What a person at the console does behind our back. */
  synchronized void removeByHand(String ip) {
    addresses.remove(ip);
  }

  synchronized void addByHand(String ip) {
    addresses.add(ip);
  }

  synchronized void setDownByHand() {
    up = false;
  }

  synchronized void failNext(LinkException e) {
    failNext = e;
  }
}
