package io.minik8s.client.printers;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;

/**
 * kubectl's AGE: a duration in at most two units, coarser as it grows.
 *
 * <p>Under 2 minutes in seconds ({@code 45s}); under 10 minutes in minutes and seconds
 * ({@code 3m12s}); under 3 hours in minutes ({@code 25m}); under 8 hours in hours and minutes
 * ({@code 5h10m}); under 2 days in hours ({@code 30h}); under 8 days in days and hours
 * ({@code 3d4h}); under 2 years in days ({@code 120d}); under 8 years in years and days
 * ({@code 3y20d}); then years. A second unit that is zero is left out ({@code 5m}, {@code 3d}).
 * Up to a second in the future counts as {@code 0s} (clocks differ); further is {@code <invalid>}.
 */
public final class HumanDuration {
  private HumanDuration() {}

  public static String format(Duration d) {
    // Whole seconds, truncated toward zero (so 1.5s in the future is still "0s").
    long seconds = d.isNegative() ? -d.negated().getSeconds() : d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 2 * 60) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      return withRest(minutes, "m", seconds % 60, "s");
    }
    if (minutes < 3 * 60) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      return withRest(hours, "h", minutes % 60, "m");
    }
    if (hours < 48) {
      return hours + "h";
    }
    long days = hours / 24;
    if (hours < 8 * 24) {
      return withRest(days, "d", hours % 24, "h");
    }
    if (days < 2 * 365) {
      return days + "d";
    }
    long years = days / 365;
    if (days < 8 * 365) {
      return withRest(years, "y", days % 365, "d");
    }
    return years + "y";
  }

  /** The age of something created at {@code since}, or {@code <unknown>} when that time is not set. */
  public static String since(Timestamp since, Instant now) {
    if (since == null || (since.getSeconds() == 0 && since.getNanos() == 0)) {
      return "<unknown>";
    }
    return format(Duration.between(Instant.ofEpochSecond(since.getSeconds(), since.getNanos()), now));
  }

  private static String withRest(long big, String bigUnit, long rest, String restUnit) {
    return rest == 0 ? big + bigUnit : big + bigUnit + rest + restUnit;
  }
}
