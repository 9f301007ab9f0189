package io.minik8s.kubelet;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** protobuf {@link Timestamp} ↔ {@link Instant}, as the API objects carry times. */
public final class Timestamps {
  private Timestamps() {}

  /** The instant as a Timestamp; {@code null} gives the empty (unset) Timestamp. */
  public static Timestamp of(Instant instant) {
    if (instant == null) {
      return Timestamp.getDefaultInstance();
    }
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  /** The instant cut to whole seconds, as Kubernetes stores condition and start times. */
  public static Timestamp seconds(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
  }

  public static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
