package io.minik8s.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.apiserver.storage.WatchCache.EventType;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedEncodingsTest {
  private static final Object GRPC = new Object();
  private static final Object JSON = new Object();

  @Test
  void encodesOncePerFormatAndEventType() {
    SharedEncodings encodings = new SharedEncodings();
    AtomicInteger calls = new AtomicInteger();

    String first = encodings.computeIfAbsent(GRPC, EventType.ADDED, () -> "added#" + calls.incrementAndGet());
    String again = encodings.computeIfAbsent(GRPC, EventType.ADDED, () -> "added#" + calls.incrementAndGet());
    String deleted = encodings.computeIfAbsent(GRPC, EventType.DELETED, () -> "deleted#" + calls.incrementAndGet());
    String json = encodings.computeIfAbsent(JSON, EventType.ADDED, () -> "json#" + calls.incrementAndGet());

    assertThat(first).isEqualTo("added#1").isSameAs(again);
    assertThat(deleted).isEqualTo("deleted#2");
    assertThat(json).isEqualTo("json#3");
    assertThat(calls).hasValue(3);
  }
}
