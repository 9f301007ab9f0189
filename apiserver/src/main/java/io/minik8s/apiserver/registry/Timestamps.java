package io.minik8s.apiserver.registry;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Kubernetes' object times have a resolution of one second. */
public final class Timestamps {
  private Timestamps() {}

  public static Timestamp seconds(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
  }

  public static Instant toInstant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
