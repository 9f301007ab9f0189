package io.minik8s.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as kubectl's flags take them: {@code 0}, {@code 30s}, {@code 1m30s}, {@code 2h}, {@code 500ms}. */
final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private GoDuration() {}

  static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms": total = total.plusMillis(n); break;
        case "s": total = total.plusSeconds(n); break;
        case "m": total = total.plusMinutes(n); break;
        default: total = total.plusHours(n); break;
      }
      end = m.end();
    }
    if (end == 0 || end != text.length()) {
      throw new UsageException("invalid duration \"" + text + "\" (expected e.g. 30s, 5m, 1h30m)");
    }
    return total;
  }
}
