package io.minik8s.apiserver.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.client.api.ApiException;
import io.minik8s.testkit.EtcdProcess;
import io.minik8s.testkit.WithEtcd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** {@link EtcdStorage} against a real etcd. */
@WithEtcd
class EtcdStorageTest {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  private final EtcdProcess etcd;
  private SimpleMeterRegistry registry;
  private EtcdStorage storage;
  private String prefix;

  EtcdStorageTest(EtcdProcess etcd) {
    this.etcd = etcd;
  }

  @BeforeEach
  void connect(TestInfo test) {
    registry = new SimpleMeterRegistry();
    storage = EtcdStorage.connect(etcd.endpoint(), registry, CALL_TIMEOUT);
    prefix = "/test/" + test.getTestMethod().orElseThrow().getName() + "/";
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void createGetUpdateAndDeleteAreCompareAndSwapOnTheModRevision() {
    String key = prefix + "a";
    long created = storage.create(key, bytes("v1"));
    assertThat(storage.get(key)).hasValueSatisfying(e -> {
      assertThat(e.modRevision()).isEqualTo(created);
      assertThat(string(e.value())).isEqualTo("v1");
    });
    assertThat(storage.currentRevision()).isGreaterThanOrEqualTo(created);
    assertThatThrownBy(() -> storage.create(key, bytes("again")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isAlreadyExists()).isTrue());

    long updated = storage.update(key, bytes("v2"), created);
    assertThat(updated).isGreaterThan(created);
    assertThatThrownBy(() -> storage.update(key, bytes("stale"), created))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isConflict()).isTrue());
    assertThatThrownBy(() -> storage.delete(key, created))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isConflict()).isTrue());
    assertThat(string(storage.get(key).orElseThrow().value())).isEqualTo("v2");

    long deleted = storage.delete(key, updated);
    assertThat(deleted).isGreaterThan(updated);
    assertThat(storage.get(key)).isEmpty();
    assertThatThrownBy(() -> storage.update(key, bytes("gone"), updated))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isNotFound()).isTrue());
    assertThatThrownBy(() -> storage.delete(key, updated))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void concurrentReadModifyWriteWithRetryOnConflictLosesNoUpdate() throws Exception {
    String key = prefix + "counter";
    storage.create(key, bytes("0"));
    int threads = 6;
    int incrementsEach = 30;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> conflicts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        conflicts.add(pool.submit(() -> {
          int seen = 0;
          for (int i = 0; i < incrementsEach; i++) {
            while (true) {
              Storage.Entry current = storage.get(key).orElseThrow();
              int value = Integer.parseInt(string(current.value()));
              try {
                storage.update(key, bytes(Integer.toString(value + 1)), current.modRevision());
                break;
              } catch (ApiException e) {
                if (!e.isConflict()) {
                  throw e;
                }
                seen++;
              }
            }
          }
          return seen;
        }));
      }
      int totalConflicts = 0;
      for (Future<Integer> f : conflicts) {
        totalConflicts += f.get();
      }
      assertThat(string(storage.get(key).orElseThrow().value())).isEqualTo(Integer.toString(threads * incrementsEach));
      // Not a guarantee, but with six threads on one key some writes must have collided, or the
      // test did not exercise the compare-and-swap at all.
      assertThat(totalConflicts).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void listPagesInKeyOrderAtOneRevision() {
    for (int i = 0; i < 25; i++) {
      storage.create(prefix + String.format("k%02d", i), bytes("v" + i));
    }
    // Neighbours that share the prefix's characters but are outside it.
    storage.create(prefix.substring(0, prefix.length() - 1) + "0", bytes("outside"));
    storage.create(prefix.substring(0, prefix.length() - 1), bytes("outside"));

    Storage.Page first = storage.list(prefix, "", 10, 0);
    assertThat(keys(first)).containsExactlyElementsOf(names(0, 10));
    assertThat(first.more()).isTrue();
    long at = first.revision();
    assertThat(at).isEqualTo(storage.currentRevision());

    // Changes after the first page must not show in the later pages read at its revision.
    storage.create(prefix + "k25", bytes("late"));
    Storage.Entry k10 = storage.get(prefix + "k10").orElseThrow();
    storage.update(prefix + "k10", bytes("changed"), k10.modRevision());

    Storage.Page second = storage.list(prefix, prefix + "k09", 10, at);
    assertThat(keys(second)).containsExactlyElementsOf(names(10, 20));
    assertThat(string(second.entries().get(0).value())).isEqualTo("v10");
    assertThat(second.revision()).isEqualTo(at);
    assertThat(second.more()).isTrue();
    Storage.Page third = storage.list(prefix, prefix + "k19", 10, at);
    assertThat(keys(third)).containsExactlyElementsOf(names(20, 25));
    assertThat(third.more()).isFalse();

    Storage.Page all = storage.list(prefix, "", 0, 0);
    assertThat(keys(all)).containsExactlyElementsOf(names(0, 26));
    assertThat(all.more()).isFalse();
    assertThatThrownBy(() -> storage.list(prefix, "/elsewhere/x", 10, 0))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  @Test
  void readsAndWatchesAtACompactedRevisionAreExpired() {
    long old = storage.create(prefix + "a", bytes("1"));
    long now = storage.update(prefix + "a", bytes("2"), old);
    etcd.compact(now);

    assertThatThrownBy(() -> storage.list(prefix, "", 0, old))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isExpired()).isTrue());
    RecordingListener listener = new RecordingListener();
    storage.watch(prefix, old, listener);
    await().atMost(Duration.ofSeconds(10)).until(() -> listener.error.get() != null);
    assertThat(listener.error.get()).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.isExpired()).isTrue());
    assertThat(listener.changes).isEmpty();
  }

  @Test
  void aWatchSeesEveryLaterChangeExactlyOnceInOrder() throws Exception {
    storage.create(prefix + "before", bytes("x"));
    long from = storage.currentRevision() + 1;
    RecordingListener listener = new RecordingListener();
    try (Storage.WatchHandle ignored = storage.watch(prefix, from, listener)) {
      Set<Long> written = ConcurrentHashMap.newKeySet();
      ExecutorService writers = Executors.newFixedThreadPool(3);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          int thread = t;
          done.add(writers.submit(() -> {
            for (int i = 0; i < 20; i++) {
              String key = prefix + "t" + thread + "-" + i;
              long rev = storage.create(key, bytes("1"));
              written.add(rev);
              long rev2 = storage.update(key, bytes("2"), rev);
              written.add(rev2);
              if (i % 3 == 0) {
                written.add(storage.delete(key, rev2));
              }
            }
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        writers.shutdownNow();
      }
      List<Long> expected = written.stream().sorted().collect(Collectors.toList());
      await().atMost(Duration.ofSeconds(10)).until(() -> listener.changes.size() >= expected.size());
      assertThat(listener.revisions()).containsExactlyElementsOf(expected);
      assertThat(listener.error.get()).isNull();
      assertThat(listener.overlap.get()).isNull();

      Storage.Change firstUpdate = listener.changes.stream().filter(c -> c.prevValue() != null && !c.deleted())
          .findFirst().orElseThrow();
      assertThat(string(firstUpdate.prevValue())).isEqualTo("1");
      assertThat(string(firstUpdate.value())).isEqualTo("2");
      Storage.Change firstDelete = listener.changes.stream().filter(Storage.Change::deleted).findFirst().orElseThrow();
      assertThat(firstDelete.value()).isNull();
      assertThat(string(firstDelete.prevValue())).isEqualTo("2");
    }
  }

  @Test
  void whileEtcdIsDownCallsFailAsUnavailableWithinTheTimeoutAndAfterwardsWorkAndWatchesLoseNothing() {
    long from = storage.currentRevision() + 1;
    RecordingListener listener = new RecordingListener();
    Storage.WatchHandle watch = storage.watch(prefix, from, listener);
    List<Long> written = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      written.add(storage.create(prefix + "before-" + i, bytes("x")));
    }
    assertThat(storage.isHealthy()).isTrue();

    etcd.kill();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> storage.create(prefix + "during", bytes("x")))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isUnavailable()).as(e.getMessage()).isTrue());
      assertThatThrownBy(() -> storage.get(prefix + "before-0"))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isUnavailable()).as(e.getMessage()).isTrue());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CALL_TIMEOUT.multipliedBy(2).plusSeconds(2));
      assertThat(storage.isHealthy()).isFalse();
    } finally {
      etcd.start();
    }
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(ApiException.class)
        .until(() -> written.add(storage.create(prefix + "after-0", bytes("x"))));
    for (int i = 1; i < 5; i++) {
      written.add(storage.create(prefix + "after-" + i, bytes("x")));
    }
    assertThat(storage.isHealthy()).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> listener.changes.size() >= written.size());
    assertThat(listener.revisions()).containsExactlyElementsOf(written);
    assertThat(listener.error.get()).isNull();
    watch.close();
  }

  @Test
  void everyCallIsTimedByOperation() {
    long rev = storage.create(prefix + "a", bytes("1"));
    storage.get(prefix + "a");
    storage.update(prefix + "a", bytes("2"), rev);
    storage.list(prefix, "", 0, 0);
    for (String operation : List.of("create", "get", "update", "list")) {
      Timer timer = registry.find("etcd.request.duration").tag("operation", operation).timer();
      assertThat(timer).as(operation).isNotNull();
      assertThat(timer.count()).as(operation).isEqualTo(1);
    }
  }

  private static List<String> keys(Storage.Page page) {
    return page.entries().stream().map(Storage.Entry::key).collect(Collectors.toList());
  }

  private List<String> names(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> prefix + String.format("k%02d", i)).collect(Collectors.toList());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String string(byte[] b) {
    return new String(b, UTF_8);
  }
}
