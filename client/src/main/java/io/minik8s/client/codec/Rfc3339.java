package io.minik8s.client.codec;

import com.google.protobuf.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/** RFC 3339 times, Kubernetes' text form of {@code metav1.Time} and {@code metav1.MicroTime}. Thread-safe. */
final class Rfc3339 {
  /** RFC 3339 section 5.6: seconds are required, the fraction is optional, the offset is required. */
  private static final Pattern FORM =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?([Zz]|[+-]\\d{2}:\\d{2})");
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);
  /** protobuf's Timestamp range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z. */
  private static final long MIN_SECONDS = -62135596800L;
  private static final long MAX_SECONDS = 253402300799L;

  private Rfc3339() {}

  /** Parses an RFC 3339 time, or returns null when {@code text} is not one. */
  static Timestamp parse(String text) {
    if (!FORM.matcher(text).matches()) {
      return null;
    }
    try {
      Instant instant = OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant();
      if (instant.getEpochSecond() < MIN_SECONDS || instant.getEpochSecond() > MAX_SECONDS) {
        return null;
      }
      return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * Formats in UTC: whole seconds without a fraction ({@code 2026-11-27T10:00:00Z}), otherwise
   * microseconds like Kubernetes' MicroTime ({@code ...T10:00:00.123456Z}), or nanoseconds when the
   * time has them (so that nothing is lost on a round trip).
   */
  static String format(Timestamp timestamp) {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(timestamp.getSeconds(), 0, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(32).append(SECONDS.format(utc));
    int nanos = timestamp.getNanos();
    if (nanos != 0) {
      String fraction = String.format(Locale.ROOT, "%09d", nanos);
      out.append('.').append(nanos % 1000 == 0 ? fraction.substring(0, 6) : fraction);
    }
    return out.append('Z').toString();
  }
}
