package io.minik8s.client.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InformerTest {
  private final FakeListerWatcher<Pod> server = new FakeListerWatcher<>(Kinds.POD);
  private final RecordingHandler handler = new RecordingHandler();
  private Informer<Pod> informer;

  @AfterEach
  void stop() {
    if (informer != null) {
      informer.stop();
    }
  }

  @Test
  void listsThenWatchesIntoTheStore() throws Exception {
    Pod a = server.put(pod("a", "n1"));
    Pod b = server.put(pod("b", "n1"));
    start(Duration.ZERO);
    assertThat(informer.awaitSynced(Duration.ofSeconds(5))).isTrue();
    assertThat(handler.events).containsExactly("add default/a@11", "add default/b@12");
    assertThat(informer.lastResourceVersion()).isEqualTo("12");
    await().until(() -> server.openWatches() == 1);
    assertThat(server.watchedFrom).containsExactly("12");

    Pod c = server.put(pod("c", "n2"));
    Pod a2 = server.put(pod("a", "n2"));
    server.delete("default/b");
    await().until(() -> handler.events.size() == 5);
    assertThat(handler.events.subList(2, 5))
        .containsExactly("add default/c@13", "update default/a@11->14", "delete default/b@15");
    assertThat(informer.lister().get("default", "a")).contains(a2);
    assertThat(informer.lister().get("default/c")).contains(c);
    assertThat(informer.lister().get("default/b")).isEmpty();
    assertThat(informer.store().keys()).containsExactlyInAnyOrder("default/a", "default/c");
    assertThat(handler.threads).containsOnly("informer-pods");
    assertThat(a).isNotEqualTo(a2);
    assertThat(b.getMetadata().getName()).isEqualTo("b");
  }

  @Test
  void expiredVersionOnReconnectLeadsToRelistThatEmitsTheDifferences() throws Exception {
    server.put(pod("a", "n1"));
    server.put(pod("b", "n1"));
    server.put(pod("c", "n1"));
    start(Duration.ZERO);
    informer.awaitSynced(Duration.ofSeconds(5));
    await().until(() -> server.openWatches() == 1);
    handler.events.clear();

    // Cut off; meanwhile b goes away, a changes, d appears, and the history is compacted.
    server.acceptWatches(false);
    server.closeWatches(ApiException.unavailable("connection reset", null));
    server.delete("default/b");
    server.put(pod("a", "n2"));
    server.put(pod("d", "n1"));
    server.compact();
    server.acceptWatches(true);

    await().until(() -> handler.events.size() == 3);
    assertThat(handler.events).containsExactlyInAnyOrder(
        "delete default/b@12", "update default/a@11->15", "add default/d@16");
    assertThat(server.lists).isEqualTo(2);
    assertThat(informer.store().keys()).containsExactlyInAnyOrder("default/a", "default/c", "default/d");
    assertThat(informer.lastResourceVersion()).isEqualTo("16");
    await().until(() -> server.openWatches() == 1);
    server.put(pod("e", "n1"));
    await().until(() -> handler.events.size() == 4);
    assertThat(handler.events.get(3)).isEqualTo("add default/e@17");
  }

  @Test
  void expiredErrorOnTheOpenWatchLeadsToRelist() throws Exception {
    server.put(pod("a", "n1"));
    server.put(pod("b", "n1"));
    start(Duration.ZERO);
    informer.awaitSynced(Duration.ofSeconds(5));
    await().until(() -> server.openWatches() == 1);
    handler.events.clear();

    server.deliver(false); // the watch falls behind and never sees these
    server.delete("default/a");
    server.put(pod("c", "n1"));
    server.compact();
    server.deliver(true);
    server.closeWatches(ApiException.expired("too old resource version"));

    await().until(() -> handler.events.size() == 2);
    assertThat(handler.events).containsExactlyInAnyOrder("delete default/a@11", "add default/c@14");
    assertThat(informer.lister().list()).extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("b", "c");
  }

  /**
   * Watches break at random while objects change; every handler must see each version exactly once,
   * in revision order, and the store must end equal to the server.
   */
  @Test
  void reconnectsAfterStreamErrorsWithoutLosingOrDuplicatingEvents() throws Exception {
    start(Duration.ZERO);
    informer.awaitSynced(Duration.ofSeconds(5));
    Random random = new Random(42);
    // Synced means listed; the first watch may still be starting, and a break before it breaks nothing.
    await().atMost(Duration.ofSeconds(5)).until(() -> server.watches == 1);
    int changes = 300;
    int breaks = 0;
    for (int i = 0; i < changes; i++) {
      String name = "p" + random.nextInt(10);
      if (server.objects().containsKey("default/" + name) && random.nextInt(4) == 0) {
        server.delete("default/" + name);
      } else {
        server.put(pod(name, "n" + i));
      }
      if (random.nextInt(25) == 0 && i < changes - 1) {
        // Break the watch, make more changes while the informer is disconnected, and go on once it
        // has watched again, so that every break is followed by a resume from the last version seen.
        int watchesBefore = server.watches;
        server.closeWatches(random.nextBoolean() ? null : ApiException.unavailable("stream reset", null));
        server.put(pod("p" + random.nextInt(10), "gap" + i));
        i++;
        breaks++;
        await().atMost(Duration.ofSeconds(10)).until(() -> server.watches > watchesBefore);
      }
    }
    String last = Long.toString(10 + changes);
    await().atMost(Duration.ofSeconds(20)).until(() -> informer.lastResourceVersion().equals(last));
    assertThat(handler.events).hasSize(changes);
    List<Long> versions = new ArrayList<>();
    for (String e : handler.events) {
      versions.add(Long.parseLong(e.substring(e.lastIndexOf(e.contains("->") ? '>' : '@') + 1)));
    }
    assertThat(versions).as("every revision once, in order").isSorted().doesNotHaveDuplicates();
    assertThat(versions.get(0)).isEqualTo(11);
    Map<String, Pod> stored = new HashMap<>();
    informer.store().list().forEach(p -> stored.put(Store.keyOf(p), p));
    assertThat(stored).isEqualTo(server.objects());
    assertThat(breaks).isGreaterThan(2);
    assertThat(server.watches).isEqualTo(1 + breaks);
    assertThat(server.lists).isEqualTo(1);
  }

  @Test
  void handlersSeeTheSameEventsInOrderAndLateHandlersGetTheStoreFirst() throws Exception {
    RecordingHandler second = new RecordingHandler();
    server.put(pod("a", "n1"));
    Informer<Pod> i = start(Duration.ZERO);
    i.addEventHandler(second);
    i.awaitSynced(Duration.ofSeconds(5));
    await().until(() -> server.openWatches() == 1);
    server.put(pod("b", "n1"));
    server.put(pod("a", "n2"));
    await().until(() -> handler.events.size() == 3 && second.events.size() == 3);
    assertThat(second.events).isEqualTo(handler.events);

    RecordingHandler late = new RecordingHandler();
    i.addEventHandler(late);
    server.put(pod("c", "n1"));
    await().until(() -> late.events.size() == 3);
    assertThat(late.events.subList(0, 2)).containsExactlyInAnyOrder("add default/a@13", "add default/b@12");
    assertThat(late.events.get(2)).isEqualTo("add default/c@14");
  }

  @Test
  void aFailingHandlerDoesNotStopTheOthers() throws Exception {
    informer = Informer.builder(Kinds.POD, server).backoff(Duration.ofMillis(1), Duration.ofMillis(20)).build();
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod object) {
        throw new IllegalStateException("handler bug");
      }
    });
    informer.addEventHandler(handler);
    server.put(pod("a", "n1"));
    informer.start();
    informer.awaitSynced(Duration.ofSeconds(5));
    assertThat(handler.events).containsExactly("add default/a@11");
  }

  @Test
  void bookmarksOnlyMoveTheResourceVersion() throws Exception {
    server.put(pod("a", "n1"));
    start(Duration.ZERO);
    informer.awaitSynced(Duration.ofSeconds(5));
    await().until(() -> server.openWatches() == 1);
    server.bookmark(100);
    await().until(() -> informer.lastResourceVersion().equals("100"));
    assertThat(handler.events).containsExactly("add default/a@11");
    assertThat(informer.store().size()).isEqualTo(1);
    server.closeWatches(null);
    await().until(() -> server.watchedFrom.size() == 2);
    assertThat(server.watchedFrom.get(1)).isEqualTo("100");
  }

  @Test
  void resyncRedeliversEveryObjectAsAnUpdate() throws Exception {
    server.put(pod("a", "n1"));
    start(Duration.ofMillis(50));
    await().until(() -> handler.events.contains("update default/a@11->11"));
  }

  @Test
  void listFailuresAreRetried() throws Exception {
    FailingFirstLists lw = new FailingFirstLists(server, 2);
    server.put(pod("a", "n1"));
    informer = Informer.builder(Kinds.POD, lw).backoff(Duration.ofMillis(1), Duration.ofMillis(20)).build();
    informer.addEventHandler(handler);
    informer.start();
    assertThat(informer.awaitSynced(Duration.ofSeconds(5))).isTrue();
    assertThat(lw.attempts).isEqualTo(3);
    assertThat(handler.events).containsExactly("add default/a@11");
  }

  @Test
  void stopEndsTheThreadAndNoHandlerIsCalledAfterwards() throws Exception {
    start(Duration.ZERO);
    informer.awaitSynced(Duration.ofSeconds(5));
    await().until(() -> server.openWatches() == 1);
    informer.stop();
    server.put(pod("late", "n1"));
    assertThat(handler.events).isEmpty();
    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).doesNotContain("informer-pods");
  }

  private Informer<Pod> start(Duration resync) {
    informer = Informer.builder(Kinds.POD, server).resyncPeriod(resync)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(20)).build();
    informer.addEventHandler(handler);
    informer.start();
    return informer;
  }

  static Pod pod(String name, String node) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name)
        .putLabels("app", "web")).setSpec(PodSpec.newBuilder().setNodeName(node)).build();
  }

  private static final class FailingFirstLists implements ListerWatcher<Pod> {
    private final FakeListerWatcher<Pod> delegate;
    private int failuresLeft;
    volatile int attempts;

    FailingFirstLists(FakeListerWatcher<Pod> delegate, int failures) {
      this.delegate = delegate;
      this.failuresLeft = failures;
    }

    @Override
    public io.minik8s.client.api.ApiClient.ListResult<Pod> list(io.minik8s.client.api.ApiClient.ListOptions o) {
      attempts++;
      if (failuresLeft-- > 0) {
        throw ApiException.unavailable("API server unavailable", null);
      }
      return delegate.list(o);
    }

    @Override
    public io.minik8s.client.api.ApiClient.Watch watch(io.minik8s.client.api.ApiClient.WatchOptions o,
        io.minik8s.client.api.ApiClient.WatchListener<Pod> l) {
      return delegate.watch(o, l);
    }
  }
}
