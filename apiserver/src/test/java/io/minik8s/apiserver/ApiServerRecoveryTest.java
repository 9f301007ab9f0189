package io.minik8s.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiClient.WatchEventType;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.EtcdProcess;
import io.minik8s.testkit.WithEtcd;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Restarts and outages: API servers that come and go, two on one etcd, etcd itself stopping. */
@WithEtcd
class ApiServerRecoveryTest {

  /** Collects a watch's events as "TYPE name". */
  static final class Recorder implements ApiClient.WatchListener<Pod> {
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicReference<ApiException> closedWith = new AtomicReference<>();
    volatile boolean closed;

    @Override
    public void onEvent(WatchEventType type, Pod pod) {
      events.add(type + " " + pod.getMetadata().getName());
    }

    @Override
    public void onClose(ApiException error) {
      closedWith.set(error);
      closed = true;
    }
  }

  @Test
  void twoApiServersOnOneEtcdAndAWatchResumedAcrossARestart(EtcdProcess etcd) throws Exception {
    ApiServer a = TestServers.start(etcd);
    ApiServer b = TestServers.start(etcd);
    String resumeAt;
    try (ApiClient ca = TestServers.client(a); ApiClient cb = TestServers.client(b)) {
      // Both serve the same objects; a write through one is seen through the other's watch.
      Recorder onB = new Recorder();
      ApiClient.Watch watchB = cb.watch(Kinds.POD, new WatchOptions("default", "", "", "0", false), onB);
      ca.create(ApiServerIntegrationTest.pod("default", "via-a", ""));
      assertThat(cb.get(Kinds.POD, "default", "via-a").getMetadata().getUid()).isNotEmpty();
      await().atMost(Duration.ofSeconds(10)).until(() -> onB.events.contains("ADDED via-a"));
      watchB.cancel();

      // A client remembers where it was, A goes away, changes happen through B meanwhile...
      resumeAt = ca.list(Kinds.POD, ListOptions.inNamespace("default")).resourceVersion();
      a.lifecycle().shutdown("test: restart");
      cb.create(ApiServerIntegrationTest.pod("default", "while-a-was-down", ""));
      cb.delete(Kinds.POD, "default", "via-a");
    }
    // ...and a new A serves the watch from the remembered version: nothing missed.
    ApiServer a2 = TestServers.start(etcd);
    try (ApiClient ca2 = TestServers.client(a2)) {
      Recorder resumed = new Recorder();
      ca2.watch(Kinds.POD, new WatchOptions("default", "", "", resumeAt, false), resumed);
      ca2.create(ApiServerIntegrationTest.pod("default", "after-restart", ""));
      await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events.size() >= 3);
      assertThat(resumed.events).containsExactly("ADDED while-a-was-down", "DELETED via-a", "ADDED after-restart");
    } finally {
      a2.lifecycle().shutdown("test done");
      b.lifecycle().shutdown("test done");
    }
  }

  @Test
  void aClientGivenSeveralApiServersKeepsWorkingWhileAnyOneIsDown(EtcdProcess etcd) throws Exception {
    ApiServer a = TestServers.start(etcd);
    ApiServer b = TestServers.start(etcd);
    int portOfA = a.port();
    try (ApiClient both = ApiClient.connect("127.0.0.1:" + portOfA + ", 127.0.0.1:" + b.port())) {
      both.create(ApiServerIntegrationTest.pod("default", "ha-before", ""));
      Recorder watched = new Recorder();
      both.watch(Kinds.POD, new WatchOptions("default", "", "", "0", false), watched);
      await().atMost(Duration.ofSeconds(10)).until(() -> watched.events.contains("ADDED ha-before"));

      a.lifecycle().shutdown("test: first server gone");
      // Every call in a row succeeds: none is sent to the server that went away once it is known down.
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(both.get(Kinds.POD, "default", "ha-before").getMetadata().getName()).isEqualTo("ha-before"));
      for (int i = 0; i < 20; i++) {
        both.create(ApiServerIntegrationTest.pod("default", "ha-while-a-down-" + i, ""));
      }

      // A comes back where it was and B goes: once the client has reconnected to A (gRPC's reconnect
      // back-off, a few seconds here) calls work again without anyone telling the client.
      ApiServer a2 = TestServers.startOnPort(etcd, portOfA);
      b.lifecycle().shutdown("test: second server gone");
      await().atMost(Duration.ofSeconds(15)).ignoreExceptionsInstanceOf(ApiException.class).untilAsserted(() ->
          assertThat(both.get(Kinds.POD, "default", "ha-while-a-down-19").getMetadata().getName()).isNotEmpty());
      both.create(ApiServerIntegrationTest.pod("default", "ha-while-b-down", ""));
      assertThat(both.list(Kinds.POD, ListOptions.inNamespace("default")).items())
          .extracting(p -> p.getMetadata().getName())
          .filteredOn(n -> n.startsWith("ha-"))
          .hasSize(22);
      a2.lifecycle().shutdown("test done");
    }
  }

  @Test
  void etcdGoingAwayMakesCallsUnavailableAndEverythingRecoversWhenItIsBack(EtcdProcess etcd) throws Exception {
    ApiServer server = TestServers.start(etcd);
    try (ApiClient client = TestServers.client(server)) {
      client.create(ApiServerIntegrationTest.pod("default", "before-outage", ""));
      Recorder watch = new Recorder();
      client.watch(Kinds.POD, new WatchOptions("default", "", "",
          client.list(Kinds.POD, ListOptions.inNamespace("default")).resourceVersion(), false), watch);

      etcd.kill();
      assertThatThrownBy(() -> client.get(Kinds.POD, "default", "before-outage"))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isUnavailable()).as(e.getMessage()).isTrue());
      etcd.start();

      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> client.create(ApiServerIntegrationTest.pod("default", "after-outage", "")) != null);
      assertThat(client.get(Kinds.POD, "default", "before-outage").getMetadata().getName()).isEqualTo("before-outage");
      // The watch opened before the outage either delivers the change or ends so that the client
      // re-lists; it never silently stops.
      await().atMost(Duration.ofSeconds(30)).until(() -> watch.events.contains("ADDED after-outage") || watch.closed);
      if (watch.closed) {
        assertThat(watch.closedWith.get()).isNotNull();
      }
    } finally {
      server.lifecycle().shutdown("test done");
    }
  }
}
