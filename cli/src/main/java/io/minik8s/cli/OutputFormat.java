package io.minik8s.cli;

import java.util.Locale;

/** {@code -o}: a table (narrow or wide), the objects themselves, or just their names. */
public enum OutputFormat {
  TABLE, WIDE, YAML, JSON, NAME;

  /** @param value the {@code -o} value, or null for the default table */
  public static OutputFormat parse(String value) {
    if (value == null || value.isEmpty()) {
      return TABLE;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "wide": return WIDE;
      case "yaml": return YAML;
      case "json": return JSON;
      case "name": return NAME;
      default:
        throw new UsageException("unable to match a printer suitable for the output format \"" + value
            + "\", allowed formats are: json,name,wide,yaml");
    }
  }

  public boolean isTable() {
    return this == TABLE || this == WIDE;
  }
}
