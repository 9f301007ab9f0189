package io.minik8s.client.printers;

import io.minik8s.api.ObjectMeta;
import java.time.Clock;

/** The AGE cell: time since creation, by {@link HumanDuration}'s rules, against an injected clock. */
final class AgeColumn {
  private final Clock clock;

  AgeColumn(Clock clock) {
    this.clock = clock;
  }

  String of(ObjectMeta metadata) {
    return HumanDuration.since(metadata.getCreationTimestamp(), clock.instant());
  }

  String since(com.google.protobuf.Timestamp timestamp) {
    return HumanDuration.since(timestamp, clock.instant());
  }
}
