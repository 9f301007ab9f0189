package io.minik8s.client.process;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Durations as Kubernetes' flags take them (Go's syntax): {@code 0}, {@code 500ms}, {@code 30s},
 * {@code 1m30s}, {@code 2h}. One parser for every process and for mkctl.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private GoDuration() {}

  /** @throws IllegalArgumentException naming the text and the expected form */
  public static Duration parse(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = switch (m.group(2)) {
        case "ms" -> total.plusMillis(n);
        case "s" -> total.plusSeconds(n);
        case "m" -> total.plusMinutes(n);
        default -> total.plusHours(n);
      };
      end = m.end();
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\" (expected e.g. 500ms, 30s, 5m, 1h30m)");
    }
    return total;
  }

  /** picocli converter for flags that take a duration; zero is allowed. */
  public static final class Converter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** picocli converter for periods and timeouts, which must be longer than zero. */
  public static final class PositiveConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = new Converter().convert(value);
      if (d.isZero()) {
        throw new CommandLine.TypeConversionException("'" + value + "' must be longer than zero");
      }
      return d;
    }
  }
}
