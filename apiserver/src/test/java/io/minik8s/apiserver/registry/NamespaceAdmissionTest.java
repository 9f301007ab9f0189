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
import io.minik8s.apiserver.registry.core.allocation.Ipv4Range;
import io.minik8s.apiserver.registry.core.allocation.PortRange;
import io.minik8s.apiserver.registry.core.allocation.ServiceAllocator;
import io.minik8s.apiserver.storage.EtcdStorage;
import io.minik8s.client.api.ApiException;
import io.minik8s.testkit.EtcdProcess;
import io.minik8s.testkit.WithEtcd;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Admission of creates into a namespace with a {@link NamespaceCache} in front of etcd (a real one): an
 * active namespace in the cache costs no etcd read; anything else is decided by etcd. The cache here is a
 * map the test fills, standing in for the watch cache, so that each case (cache behind etcd either way) is
 * set up exactly. etcd reads are counted with the storage's own per-operation timer.
 */
@WithEtcd
class NamespaceAdmissionTest {
  private final EtcdProcess etcd;
  private final Map<String, Namespace> cache = new HashMap<>();
  private SimpleMeterRegistry meters;
  private EtcdStorage storage;
  private Registries registries;
  private String ns;

  NamespaceAdmissionTest(EtcdProcess etcd) {
    this.etcd = etcd;
  }

  @BeforeEach
  void connect(TestInfo test) {
    meters = new SimpleMeterRegistry();
    storage = EtcdStorage.connect(etcd.endpoint(), meters, Duration.ofSeconds(5));
    registries = new Registries(storage, Clock.systemUTC(), new ServiceAllocator(storage,
        Ipv4Range.parse("10.96.0.0/12"), PortRange.parse("30000-32767")), name -> Optional.ofNullable(cache.get(name)));
    String method = test.getTestMethod().orElseThrow().getName().toLowerCase();
    ns = method.substring(0, Math.min(40, method.length()));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void anActiveNamespaceInTheCacheCostsNoEtcdRead() {
    cache.put(ns, registries.namespaces().create(namespace(ns), false));
    long reads = etcdReads();
    registries.pods().create(pod(ns, "a"), false);
    registries.pods().create(pod(ns, "b"), false);
    assertThat(etcdReads() - reads).isZero();
    assertThat(registries.pods().find(ns, "b")).isPresent();
  }

  @Test
  void aNamespaceNotYetCachedIsReadFromEtcd() {
    registries.namespaces().create(namespace(ns), false);
    long reads = etcdReads();
    registries.pods().create(pod(ns, "a"), false);
    assertThat(etcdReads() - reads).isEqualTo(1);
  }

  @Test
  void aNamespaceMissingEverywhereIsNotFound() {
    assertThatThrownBy(() -> registries.pods().create(pod(ns, "a"), false))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void terminatingInTheCacheIsCheckedInEtcd() {
    Namespace active = registries.namespaces().create(namespace(ns), false);
    Namespace terminating = registries.namespaces().delete("", ns, null, null, null);
    assertThat(terminating.getMetadata().hasDeletionTimestamp()).isTrue();

    cache.put(ns, terminating);
    assertThatThrownBy(() -> registries.pods().create(pod(ns, "a"), false))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(403));

    // The cache still shows it active (behind etcd): admitted; the namespace finalizer deletes it with the rest.
    cache.put(ns, active);
    registries.pods().create(pod(ns, "b"), false);
    assertThat(registries.pods().find(ns, "b")).isPresent();
  }

  @Test
  void withoutACacheEveryCreateReadsItsNamespace() {
    Registries uncached = new Registries(storage, Clock.systemUTC());
    uncached.namespaces().create(namespace(ns), false);
    long reads = etcdReads();
    uncached.pods().create(pod(ns, "a"), false);
    uncached.pods().create(pod(ns, "b"), false);
    assertThat(etcdReads() - reads).isEqualTo(2);
  }

  private long etcdReads() {
    Timer timer = meters.find("etcd.request.duration").tag("operation", "get").timer();
    return timer == null ? 0 : timer.count();
  }

  private static Namespace namespace(String name) {
    return Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build();
  }

  private static Pod pod(String namespace, String name) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c").setImage("busybox")))
        .build();
  }
}
