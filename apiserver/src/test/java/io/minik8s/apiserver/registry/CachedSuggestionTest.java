package io.minik8s.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.Container;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.apiserver.registry.core.allocation.Ipv4Range;
import io.minik8s.apiserver.registry.core.allocation.PortRange;
import io.minik8s.apiserver.registry.core.allocation.ServiceAllocator;
import io.minik8s.apiserver.storage.EtcdStorage;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.EtcdProcess;
import io.minik8s.testkit.WithEtcd;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Updates, binds and deletes that take their starting point from a {@link CachedObjects} suggestion, against
 * a real etcd: an up-to-date suggestion costs one etcd round trip (no read); a stale one never wins (the
 * compare-and-swap on its mod revision fails and the write is retried on etcd's object, read in the same
 * transaction); a refusal or a "nothing to change" decided on a suggestion is checked against etcd. The cache
 * is a map the test fills, standing in for the watch cache, so each "cache behind etcd" case is set up
 * exactly; etcd calls are counted with the storage's own per-operation timers.
 */
@WithEtcd
class CachedSuggestionTest {
  private final EtcdProcess etcd;
  private final Map<String, CachedObjects.Cached> cache = new ConcurrentHashMap<>();
  private SimpleMeterRegistry meters;
  private EtcdStorage storage;
  private Registries registries;
  private String ns;

  CachedSuggestionTest(EtcdProcess etcd) {
    this.etcd = etcd;
  }

  @BeforeEach
  void connect(TestInfo test) {
    meters = new SimpleMeterRegistry();
    storage = EtcdStorage.connect(etcd.endpoint(), meters, Duration.ofSeconds(5));
    registries = new Registries(storage, Clock.systemUTC(), new ServiceAllocator(storage,
        Ipv4Range.parse("10.96.0.0/12"), PortRange.parse("30000-32767")), NamespaceCache.none(),
        (kind, key) -> Optional.ofNullable(cache.get(key)));
    String method = test.getTestMethod().orElseThrow().getName().toLowerCase();
    ns = method.substring(0, Math.min(40, method.length()));
    registries.namespaces().create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(ns)).build(),
        false);
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void aBindFromAnUpToDateCacheIsOneEtcdRoundTrip() {
    remember(registries.pods().create(pod("a"), false));
    long reads = count("get");
    long swaps = count("update");

    Pod bound = registries.bind(ns, "a", "node-1", "");

    assertThat(count("get") - reads).isZero();
    assertThat(count("update") - swaps).isEqualTo(1);
    assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
    assertThat(registries.pods().get(ns, "a").getSpec().getNodeName()).isEqualTo("node-1");
  }

  @Test
  void aStaleSuggestionRetriesOnEtcdsObjectAndKeepsItsChanges() {
    Pod created = registries.pods().create(pod("a"), false);
    remember(created);
    Pod labelled = registries.pods().update(created.toBuilder().setMetadata(created.getMetadata().toBuilder()
        .putLabels("app", "web")).build(), false);
    assertThat(cache.get(key("a")).modRevision()).isLessThan(rv(labelled)); // the cache is behind etcd
    long reads = count("get");
    long swaps = count("update");

    Pod bound = registries.bind(ns, "a", "node-1", "");

    // The failed swap brought etcd's object back: no separate read.
    assertThat(count("get") - reads).isZero();
    assertThat(count("update") - swaps).isEqualTo(2);
    assertThat(bound.getSpec().getNodeName()).isEqualTo("node-1");
    assertThat(bound.getMetadata().getLabelsMap()).containsEntry("app", "web");
    assertThat(registries.pods().get(ns, "a").getMetadata().getLabelsMap()).containsEntry("app", "web");
  }

  @Test
  void aStaleSuggestionCannotMakeARealConflictSucceed() {
    remember(registries.pods().create(pod("a"), false)); // cached unbound
    Pod bySomeoneElse = registries.bind(ns, "a", "node-1", "");

    assertThatThrownBy(() -> registries.bind(ns, "a", "node-2", ""))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isConflict()).isTrue())
        .hasMessageContaining("already assigned to node \"node-1\"");
    assertThat(registries.pods().get(ns, "a").getMetadata().getResourceVersion())
        .isEqualTo(bySomeoneElse.getMetadata().getResourceVersion());
  }

  @Test
  void aRefusalDecidedOnAStaleSuggestionIsCheckedInEtcd() {
    // The cache still shows an earlier pod of the same name, bound; etcd has its unbound successor.
    Pod first = registries.pods().create(pod("a"), false);
    remember(registries.bind(ns, "a", "node-1", first.getMetadata().getUid()));
    registries.pods().delete(ns, "a", 0L, null, null);
    Pod second = registries.pods().create(pod("a"), false);

    Pod bound = registries.bind(ns, "a", "node-2", second.getMetadata().getUid());

    assertThat(bound.getSpec().getNodeName()).isEqualTo("node-2");
    assertThat(bound.getMetadata().getUid()).isEqualTo(second.getMetadata().getUid());
  }

  @Test
  void aConditionalStatusWriteIsJudgedOnEtcdsVersionNotTheCaches() {
    Pod created = registries.pods().create(pod("a"), false);
    remember(created);
    Pod bound = registries.bind(ns, "a", "node-1", ""); // the cache misses this write

    Pod running = registries.pods().updateStatus(bound.toBuilder()
        .setStatus(PodStatus.newBuilder().setPhase("Running")).build(), false);
    assertThat(running.getStatus().getPhase()).isEqualTo("Running");

    // The version the cache has is not etcd's: a write conditional on it is a conflict.
    assertThatThrownBy(() -> registries.pods().updateStatus(created.toBuilder()
        .setStatus(PodStatus.newBuilder().setPhase("Failed")).build(), false))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isConflict()).isTrue());
    assertThat(registries.pods().get(ns, "a").getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void nothingToChangeOnAStaleSuggestionIsCheckedInEtcd() {
    Pod created = registries.pods().create(pod("a"), false);
    Pod running = registries.pods().updateStatus(created.toBuilder()
        .setStatus(PodStatus.newBuilder().setPhase("Running")).build(), false);
    remember(running);
    registries.pods().updateStatus(running.toBuilder()
        .setStatus(PodStatus.newBuilder().setPhase("Failed")).build(), false); // the cache misses this write

    // Unconditional: on the cached object it changes nothing; etcd's says otherwise, so it is written.
    Pod back = registries.pods().updateStatus(running.toBuilder().setMetadata(running.getMetadata().toBuilder()
        .clearResourceVersion()).build(), false);

    assertThat(back.getStatus().getPhase()).isEqualTo("Running");
    assertThat(registries.pods().get(ns, "a").getStatus().getPhase()).isEqualTo("Running");
  }

  @Test
  void aDeleteWithAPreconditionIsJudgedOnEtcdsVersion() {
    remember(registries.pods().create(pod("a"), false));
    Pod bound = registries.bind(ns, "a", "node-1", ""); // the cache misses this write

    Pod marked = registries.pods().delete(ns, "a", 30L, null, bound.getMetadata().getResourceVersion());

    assertThat(marked.getMetadata().hasDeletionTimestamp()).isTrue();
    assertThat(registries.pods().get(ns, "a").getMetadata().hasDeletionTimestamp()).isTrue();
  }

  @Test
  void concurrentWritersOnALaggingCacheLoseNoUpdate() throws Exception {
    // Every modify that returns has added exactly one: the count in etcd is the number of them.
    // Never refreshed: every suggestion after the first write is stale.
    remember(registries.pods().create(pod("a"), false));
    int writers = 8;
    int each = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        done.add(pool.submit(() -> {
          int succeeded = 0;
          while (succeeded < each) {
            try {
              registries.pods().modify(ns, "a", p -> {
                int n = Integer.parseInt(p.getMetadata().getAnnotationsOrDefault("count", "0"));
                return p.toBuilder().setMetadata(p.getMetadata().toBuilder()
                    .putAnnotations("count", Integer.toString(n + 1))).build();
              });
              succeeded++;
            } catch (ApiException e) {
              if (!e.isConflict()) {
                throw e;
              }
              // Out of retries under contention: the write did not happen, a client tries again.
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(registries.pods().get(ns, "a").getMetadata().getAnnotationsMap())
        .containsEntry("count", Integer.toString(writers * each));
  }

  private void remember(Pod pod) {
    cache.put(key(pod.getMetadata().getName()), new CachedObjects.Cached(pod, rv(pod)));
  }

  private String key(String name) {
    return Keys.key(Kinds.POD, ns, name);
  }

  private static long rv(Pod pod) {
    return Long.parseLong(pod.getMetadata().getResourceVersion());
  }

  private long count(String operation) {
    Timer timer = meters.find("etcd.request.duration").tag("operation", operation).timer();
    return timer == null ? 0 : timer.count();
  }

  private Pod pod(String name) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c").setImage("busybox")))
        .build();
  }
}
