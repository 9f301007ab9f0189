package io.minik8s.cli.describe;

import com.google.protobuf.Timestamp;
import io.minik8s.client.api.ApiClient;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What describers read besides the object: the API (for events and related objects) and the
 * clock whose instant ages are measured from and whose zone timestamps are printed in.
 */
public record DescribeContext(ApiClient client, Clock clock) {
  /** Go's RFC1123Z, which kubectl describe prints times in: {@code Mon, 02 Jan 2006 15:04:05 -0700}. */
  private static final DateTimeFormatter RFC1123Z =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

  public String time(Timestamp t) {
    if (t.getSeconds() == 0 && t.getNanos() == 0) {
      return "<unset>";
    }
    return RFC1123Z.format(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).atZone(clock.getZone()));
  }

  public Instant now() {
    return clock.instant();
  }
}
