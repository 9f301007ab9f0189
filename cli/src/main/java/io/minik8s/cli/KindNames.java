package io.minik8s.cli;

import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.ArrayList;
import java.util.List;

/** Turns what a user types for a resource type ({@code po}, {@code pods,svc}, {@code deployments.apps}) into kinds. */
public final class KindNames {
  private KindNames() {}

  /** One kind by any name kubectl accepts. */
  public static Kind<?> resolve(String name) {
    return Kinds.byName(name.trim())
        .orElseThrow(() -> new UsageException("the server doesn't have a resource type \"" + name.trim() + "\""));
  }

  /** A comma-separated list of kinds, in the order given, without duplicates. */
  public static List<Kind<?>> resolveList(String names) {
    List<Kind<?>> kinds = new ArrayList<>();
    for (String part : names.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      Kind<?> kind = resolve(part);
      if (!kinds.contains(kind)) {
        kinds.add(kind);
      }
    }
    if (kinds.isEmpty()) {
      throw new UsageException("resource type required");
    }
    return kinds;
  }
}
