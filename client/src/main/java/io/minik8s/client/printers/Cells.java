package io.minik8s.client.printers;

import io.minik8s.api.Container;
import io.minik8s.api.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Small formatting rules shared by several printers and describers, each as kubectl has it. */
public final class Cells {
  public static final String NONE = "<none>";

  private Cells() {}

  /** The value, or {@code <none>} when empty. */
  public static String orNone(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }

  /** Labels as {@code a=1,b=2}, sorted by key; {@code <none>} when there are none. */
  public static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return NONE;
    }
    return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** A label selector in the string syntax ({@code app=web,tier in (a,b)}); {@code <none>} when empty. */
  public static String selector(LabelSelector selector) {
    if (selector.getMatchLabelsCount() == 0 && selector.getMatchExpressionsCount() == 0) {
      return NONE;
    }
    try {
      return io.minik8s.client.selector.LabelSelector.from(selector).toString();
    } catch (IllegalArgumentException invalid) {
      return "<error: " + invalid.getMessage() + ">";
    }
  }

  public static String containerNames(List<Container> containers) {
    return containers.stream().map(Container::getName).collect(Collectors.joining(","));
  }

  public static String images(List<Container> containers) {
    return containers.stream().map(Container::getImage).collect(Collectors.joining(","));
  }
}
