package io.minik8s.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.EtcdProcess;
import io.minik8s.testkit.WithEtcd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * {@link WatchCache} against a real etcd. etcd sends watch progress every second here, so the cache's
 * revision (and its bookmarks) follow writes outside its prefix too.
 */
@WithEtcd(args = "--experimental-watch-progress-notify-interval=1s")
class WatchCacheTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Predicate<Message> ALL = m -> true;

  private final EtcdProcess etcd;
  private EtcdStorage storage;
  private SimpleMeterRegistry registry;
  private String prefix;
  private final List<WatchCache> caches = new ArrayList<>();

  WatchCacheTest(EtcdProcess etcd) {
    this.etcd = etcd;
  }

  @BeforeEach
  void connect(TestInfo test) {
    registry = new SimpleMeterRegistry();
    storage = EtcdStorage.connect(etcd.endpoint(), registry, Duration.ofSeconds(2));
    prefix = "/registry/pods/" + test.getTestMethod().orElseThrow().getName() + "/";
  }

  @AfterEach
  void close() {
    caches.forEach(WatchCache::close);
    storage.close();
  }

  @Test
  void fansOutToManyWatchersEachFilteredWithKubernetesTransitions() {
    WatchCache cache = started(WatchCache.Options.defaults().withMeterRegistry(registry));
    long from = cache.revision();
    List<RecordingSink> teamA = sinks(10);
    List<RecordingSink> teamB = sinks(10);
    List<RecordingSink> everyone = sinks(5);
    List<WatchCache.Watcher> watchers = new ArrayList<>();
    teamA.forEach(s -> watchers.add(cache.watch(from, team("a"), s)));
    teamB.forEach(s -> watchers.add(cache.watch(from, team("b"), s)));
    everyone.forEach(s -> watchers.add(cache.watch(from, ALL, s)));
    assertThat(registry.get("watch.cache.watchers").gauge().value()).isEqualTo(25);

    long r1 = create("web", pod("web", "a"));
    long r2 = update("web", pod("web", "b"), r1);
    long r3 = update("web", pod("web", "b").toBuilder().setSpec(PodSpec.newBuilder().setNodeName("n1")).build(), r2);
    long r4 = create("db", pod("db", "a"));
    long r5 = delete("web", r3);
    long r6 = delete("db", r4);

    List<String> forA = List.of("ADDED web " + r1, "DELETED web " + r2, "ADDED db " + r4, "DELETED db " + r6);
    List<String> forB = List.of("ADDED web " + r2, "MODIFIED web " + r3, "DELETED web " + r5);
    List<String> forAll = List.of("ADDED web " + r1, "MODIFIED web " + r2, "MODIFIED web " + r3, "ADDED db " + r4,
        "DELETED web " + r5, "DELETED db " + r6);
    await().atMost(WAIT).untilAsserted(() -> {
      teamA.forEach(s -> assertThat(s.summary()).containsExactlyElementsOf(forA));
      teamB.forEach(s -> assertThat(s.summary()).containsExactlyElementsOf(forB));
      everyone.forEach(s -> assertThat(s.summary()).containsExactlyElementsOf(forAll));
    });
    // One change's event is encoded once for all its watchers: they share where the encoding is kept.
    SharedEncodings firstChange = everyone.get(0).events.get(0).encodings();
    assertThat(firstChange).isNotNull();
    teamA.forEach(s -> assertThat(s.events.get(0).encodings()).isSameAs(firstChange));
    everyone.forEach(s -> assertThat(s.events.get(0).encodings()).isSameAs(firstChange));
    // Stopped matching: DELETED with the state that matched, at the revision of the change.
    Pod left = (Pod) teamA.get(0).events.get(1).object();
    assertThat(left.getMetadata().getLabelsMap()).containsEntry("team", "a");
    assertThat(left.getMetadata().getResourceVersion()).isEqualTo(Long.toString(r2));
    // Deleted: the last state, with the deletion's revision.
    Pod gone = (Pod) teamB.get(0).events.get(2).object();
    assertThat(gone.getSpec().getNodeName()).isEqualTo("n1");
    assertThat(gone.getMetadata().getResourceVersion()).isEqualTo(Long.toString(r5));

    watchers.forEach(WatchCache.Watcher::close);
    await().atMost(WAIT).until(() -> allClosed(teamA) && allClosed(teamB) && allClosed(everyone));
    teamA.forEach(s -> {
      assertThat(s.error.get()).isNull();
      assertThat(s.closedCalls.get()).isEqualTo(1);
      assertThat(s.misuse.get()).isNull();
    });
    assertThat(cache.watcherCount()).isZero();
    assertThat(registry.get("watch.cache.watchers").gauge().value()).isZero();
  }

  @Test
  void fromRevisionZeroStartsWithTheCurrentObjectsThenFollowsChanges() {
    long web = create("web", pod("web", "a"));
    create("db", pod("db", "b"));
    long api = create("api", pod("api", "a"));
    WatchCache cache = started(WatchCache.Options.defaults());
    assertThat(cache.size()).isEqualTo(3);

    RecordingSink sink = new RecordingSink();
    cache.watch(0, team("a"), sink);
    long changed = update("web", pod("web", "a").toBuilder().setSpec(PodSpec.newBuilder().setNodeName("n2")).build(), web);

    await().atMost(WAIT).untilAsserted(() -> assertThat(sink.summary())
        .containsExactly("ADDED api " + api, "ADDED web " + web, "MODIFIED web " + changed));
    assertThat(((Pod) sink.events.get(0).object()).getMetadata().getResourceVersion()).isEqualTo(Long.toString(api));
  }

  @Test
  void getServesTheCurrentObjectOnceLoadedAndFollowsChanges() {
    WatchCache unstarted = WatchCache.forKind(storage, prefix, Kinds.POD, WatchCache.Options.defaults());
    caches.add(unstarted);
    long web = create("web", pod("web", "a"));
    assertThat(unstarted.get(prefix + "web")).as("not loaded yet: unknown, not absent").isEmpty();

    WatchCache cache = started(WatchCache.Options.defaults());
    assertThat(cache.get(prefix + "web")).hasValueSatisfying(p ->
        assertThat(((Pod) p).getMetadata().getResourceVersion()).isEqualTo(Long.toString(web)));
    long changed = update("web", pod("web", "b"), web);
    await().atMost(WAIT).untilAsserted(() -> assertThat(cache.get(prefix + "web")).hasValueSatisfying(p ->
        assertThat(((Pod) p).getMetadata().getLabelsMap()).containsEntry("team", "b")));
    assertThat(((Pod) cache.get(prefix + "web").orElseThrow()).getMetadata().getResourceVersion())
        .isEqualTo(Long.toString(changed));
    delete("web", changed);
    await().atMost(WAIT).until(() -> cache.get(prefix + "web").isEmpty());
    assertThat(cache.get(prefix + "never")).isEmpty();
  }

  @Test
  void aRevisionInTheWindowIsReplayedFromTheCache() {
    WatchCache cache = started(WatchCache.Options.defaults());
    List<Long> revs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      revs.add(create("p" + i, pod("p" + i, "a")));
    }
    await().atMost(WAIT).until(() -> cache.revision() >= revs.get(4));

    RecordingSink sink = new RecordingSink();
    cache.watch(revs.get(1), ALL, sink);
    long later = create("p5", pod("p5", "a"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(sink.summary()).containsExactly(
        "ADDED p2 " + revs.get(2), "ADDED p3 " + revs.get(3), "ADDED p4 " + revs.get(4), "ADDED p5 " + later));
    assertThat(cache.watcherCount()).isEqualTo(1);
  }

  @Test
  void aRevisionOlderThanTheWindowIsServedFromEtcd() {
    WatchCache cache = started(WatchCache.Options.defaults().withWindowSize(3));
    List<Long> revs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      revs.add(create("p" + i, pod("p" + i, "a")));
    }
    long moved = update("p0", pod("p0", "b"), revs.get(0));
    long deleted = delete("p1", revs.get(1));
    await().atMost(WAIT).until(() -> cache.revision() >= deleted);

    RecordingSink sink = new RecordingSink();
    cache.watch(revs.get(0), team("a"), sink);
    long later = create("p6", pod("p6", "a"));

    List<String> expected = new ArrayList<>();
    for (int i = 1; i < 6; i++) {
      expected.add("ADDED p" + i + " " + revs.get(i));
    }
    // The transitions need the previous state, which here comes from etcd's prevKV.
    expected.add("DELETED p0 " + moved);
    expected.add("DELETED p1 " + deleted);
    expected.add("ADDED p6 " + later);
    await().atMost(WAIT).untilAsserted(() -> assertThat(sink.summary()).containsExactlyElementsOf(expected));
    assertThat(cache.watcherCount()).isEqualTo(1);
    assertThat(sink.closed).isFalse();
  }

  @Test
  void aCompactedRevisionEndsTheWatcherWithExpired() {
    WatchCache cache = started(WatchCache.Options.defaults().withWindowSize(2));
    long first = create("p0", pod("p0", "a"));
    long last = 0;
    for (int i = 1; i < 6; i++) {
      last = create("p" + i, pod("p" + i, "a"));
    }
    etcd.compact(last);
    long seen = last;
    await().atMost(WAIT).until(() -> cache.revision() >= seen);

    RecordingSink sink = new RecordingSink();
    cache.watch(first, ALL, sink);
    await().atMost(WAIT).untilTrue(sink.closed);
    assertThat(sink.error.get()).isNotNull().satisfies(e -> assertThat(e.isExpired()).isTrue());
    assertThat(sink.events).isEmpty();
    await().atMost(WAIT).until(() -> cache.watcherCount() == 0);
  }

  @Test
  void aSlowWatcherIsCutOffWhileAFastOneKeepsReceiving() {
    WatchCache cache = started(WatchCache.Options.defaults().withWatcherBufferSize(5).withMeterRegistry(registry));
    RecordingSink slow = new RecordingSink();
    slow.accepting = false; // takes one event, then never asks for more
    RecordingSink fast = new RecordingSink();
    cache.watch(cache.revision(), ALL, slow);
    cache.watch(cache.revision(), ALL, fast);

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      expected.add("ADDED p" + i + " " + create("p" + i, pod("p" + i, "a")));
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(fast.summary()).containsExactlyElementsOf(expected));
    await().atMost(WAIT).untilTrue(slow.closed);
    assertThat(slow.error.get()).isNotNull().satisfies(e -> {
      assertThat(e.isExpired()).isTrue();
      assertThat(e.getMessage()).contains("too slow");
    });
    assertThat(slow.events).hasSize(1);
    assertThat(fast.closed).isFalse();
    assertThat(cache.watcherCount()).isEqualTo(1);
    assertThat(registry.get("watch.cache.slow.watchers").counter().count()).isEqualTo(1);
  }

  @Test
  void aPausedWatcherResumesWithoutLosingEvents() {
    WatchCache cache = started(WatchCache.Options.defaults().withWatcherBufferSize(50));
    RecordingSink sink = new RecordingSink();
    sink.accepting = false; // every send pauses delivery until resume()
    WatchCache.Watcher watcher = cache.watch(cache.revision(), ALL, sink);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("ADDED p" + i + " " + create("p" + i, pod("p" + i, "a")));
    }
    await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> {
      watcher.resume();
      return sink.events.size() == expected.size();
    });
    assertThat(sink.summary()).containsExactlyElementsOf(expected);
    assertThat(sink.closed).isFalse();
  }

  @Test
  void watchersThatAskForBookmarksGetTheCachesRevisionPeriodically() {
    WatchCache cache = started(WatchCache.Options.defaults().withBookmarkInterval(Duration.ofMillis(200)));
    RecordingSink withBookmarks = new RecordingSink();
    RecordingSink without = new RecordingSink();
    cache.watch(cache.revision(), ALL, true, withBookmarks);
    cache.watch(cache.revision(), ALL, false, without);
    long created = create("p0", pod("p0", "a"));
    // A write elsewhere: the cache learns of it through etcd's progress notifications.
    long elsewhere = storage.create("/registry/other/" + prefix, new byte[0]);

    await().atMost(Duration.ofSeconds(20)).until(() -> withBookmarks.bookmarks().stream().anyMatch(b -> b.revision() >= elsewhere));
    assertThat(withBookmarks.summary()).containsExactly("ADDED p0 " + created);
    List<Long> bookmarkRevisions = withBookmarks.bookmarks().stream().map(WatchCache.Event::revision)
        .collect(Collectors.toList());
    assertThat(bookmarkRevisions).isSorted();
    assertThat(withBookmarks.bookmarks()).allSatisfy(b -> assertThat(b.object()).isNull());
    assertThat(without.bookmarks()).isEmpty();
    assertThat(without.summary()).containsExactly("ADDED p0 " + created);
  }

  @Test
  void aWatcherAheadOfTheCacheGetsOnlyTheChangesAfterItsRevision() {
    WatchCache cache = started(WatchCache.Options.defaults());
    long now = storage.currentRevision();
    RecordingSink sink = new RecordingSink();
    cache.watch(now + 2, ALL, sink);
    List<Long> revs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      revs.add(create("p" + i, pod("p" + i, "a")));
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      if (revs.get(i) > now + 2) {
        expected.add("ADDED p" + i + " " + revs.get(i));
      }
    }
    assertThat(expected).isNotEmpty().hasSizeLessThan(4);
    await().atMost(WAIT).until(() -> cache.revision() >= revs.get(3));
    await().atMost(WAIT).untilAsserted(() -> assertThat(sink.summary()).containsExactlyElementsOf(expected));
  }

  @Test
  void theCacheResumesAfterEtcdIsStoppedAndStartedAndNoEventIsLost() {
    WatchCache cache = started(WatchCache.Options.defaults());
    RecordingSink fromZero = new RecordingSink();
    RecordingSink fromNow = new RecordingSink();
    cache.watch(0, ALL, fromZero);
    cache.watch(cache.revision(), team("a"), fromNow);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      expected.add("ADDED p" + i + " " + create("p" + i, pod("p" + i, "a")));
    }

    // Stopped (SIGTERM) right after the writes: some of their events may still be on their way to the
    // cache. EtcdStorageTest covers SIGKILL.
    etcd.stop();
    RecordingSink duringOutage = new RecordingSink();
    try {
      // The cache keeps serving watches from memory meanwhile.
      cache.watch(0, ALL, duringOutage);
    } finally {
      etcd.start();
    }
    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(ApiException.class)
        .until(() -> expected.add("ADDED p5 " + create("p5", pod("p5", "a"))));
    for (int i = 6; i < 10; i++) {
      expected.add("ADDED p" + i + " " + create("p" + i, pod("p" + i, "a")));
    }

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(fromZero.summary()).containsExactlyElementsOf(expected);
      assertThat(fromNow.summary()).containsExactlyElementsOf(expected);
      assertThat(duringOutage.summary()).containsExactlyElementsOf(expected);
    });
    assertThat(duringOutage.closed).isFalse();
    assertThat(fromZero.closed).isFalse();
    assertThat(fromNow.closed).isFalse();
    assertThat(cache.size()).isEqualTo(10);
  }

  // ---- helpers ----

  private WatchCache started(WatchCache.Options options) {
    WatchCache cache = WatchCache.forKind(storage, prefix, Kinds.POD, options);
    caches.add(cache);
    cache.start();
    try {
      assertThat(cache.awaitReady(WAIT)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return cache;
  }

  private long create(String name, Pod pod) {
    return storage.create(prefix + name, pod.toByteArray());
  }

  private long update(String name, Pod pod, long expected) {
    return storage.update(prefix + name, pod.toByteArray(), expected);
  }

  private long delete(String name, long expected) {
    return storage.delete(prefix + name, expected);
  }

  private static Pod pod(String name, String team) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace("default").putLabels("team", team))
        .build();
  }

  private static Predicate<Message> team(String team) {
    return m -> team.equals(((Pod) m).getMetadata().getLabelsMap().get("team"));
  }

  private static List<RecordingSink> sinks(int n) {
    List<RecordingSink> sinks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sinks.add(new RecordingSink());
    }
    return sinks;
  }

  private static boolean allClosed(List<RecordingSink> sinks) {
    return sinks.stream().allMatch(s -> s.closed.get());
  }
}
