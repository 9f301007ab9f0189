package io.minik8s.client.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The named checks behind {@code /readyz}, run in name order. Thread-safe. */
public final class HealthChecks {
  private final Map<String, HealthCheck> checks = new ConcurrentSkipListMap<>();

  /** Adds or replaces the check called {@code name}. */
  public void add(String name, HealthCheck check) {
    checks.put(name, check);
  }

  public void remove(String name) {
    checks.remove(name);
  }

  /** Runs every check; one that throws is reported failed with the exception's message. */
  public List<Outcome> run() {
    List<Outcome> outcomes = new ArrayList<>();
    checks.forEach((name, check) -> {
      try {
        check.check();
        outcomes.add(new Outcome(name, true, ""));
      } catch (Exception e) {
        outcomes.add(new Outcome(name, false, e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    });
    return outcomes;
  }

  /** The result of one check. */
  public record Outcome(String name, boolean healthy, String message) {}
}
