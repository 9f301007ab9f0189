package io.minik8s.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the watch cache does when its own storage watch ends for good (in etcd: history compacted
 * past the point where the watch would resume, while etcd was unreachable). Uses an in-memory
 * storage, since that situation cannot be produced on demand with a real etcd.
 */
class WatchCacheRelistTest {
  private static final String PREFIX = "/registry/pods/";
  private final InMemoryStorage storage = new InMemoryStorage();
  private final WatchCache cache = WatchCache.forKind(storage, PREFIX, Kinds.POD, WatchCache.Options.defaults());

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void endsEveryWatcherWithExpiredThenListsAndWatchesAgain() throws Exception {
    storage.create(PREFIX + "a", pod("a"));
    cache.start();
    assertThat(cache.awaitReady(Duration.ofSeconds(5))).isTrue();
    RecordingSink fromZero = new RecordingSink();
    RecordingSink fromNow = new RecordingSink();
    cache.watch(0, m -> true, fromZero);
    cache.watch(cache.revision(), m -> true, fromNow);
    long b = storage.create(PREFIX + "b", pod("b"));
    long c = storage.create(PREFIX + "c", pod("c"));
    await().atMost(Duration.ofSeconds(5)).until(() -> fromNow.summary().size() == 2);

    // History compacted and the cache's watch ends for good: as after an etcd outage during which
    // the history the watch would resume from was compacted.
    storage.compact(c);
    storage.endWatches(ApiException.expired("compacted"));

    await().atMost(Duration.ofSeconds(5)).until(() -> fromZero.closed.get() && fromNow.closed.get());
    assertThat(fromZero.error.get().isExpired()).isTrue();
    assertThat(fromNow.error.get().isExpired()).isTrue();
    assertThat(fromNow.summary()).containsExactly("ADDED b " + b, "ADDED c " + c);

    assertThat(cache.awaitReady(Duration.ofSeconds(5))).isTrue();
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.revision()).isEqualTo(c);
    assertThat(storage.openWatches()).isEqualTo(1);
    RecordingSink again = new RecordingSink();
    cache.watch(0, m -> true, again);
    long d = storage.create(PREFIX + "d", pod("d"));
    await().atMost(Duration.ofSeconds(5)).until(() -> again.summary().size() == 4);
    assertThat(again.summary()).containsExactly("ADDED a 2", "ADDED b " + b, "ADDED c " + c, "ADDED d " + d);
  }

  @Test
  void refusesWatchesUntilLoadedAndAfterClose() throws Exception {
    assertThatThrownBy(() -> cache.watch(0, m -> true, new RecordingSink()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isUnavailable()).isTrue());
    cache.start();
    assertThat(cache.awaitReady(Duration.ofSeconds(5))).isTrue();
    RecordingSink open = new RecordingSink();
    cache.watch(0, m -> true, open);
    cache.close();
    await().atMost(Duration.ofSeconds(5)).untilTrue(open.closed);
    assertThat(open.error.get()).isNull();
    assertThat(storage.openWatches()).isZero();
    assertThatThrownBy(() -> cache.watch(0, m -> true, new RecordingSink()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isUnavailable()).isTrue());
  }

  private static byte[] pod(String name) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build().toByteArray();
  }
}
