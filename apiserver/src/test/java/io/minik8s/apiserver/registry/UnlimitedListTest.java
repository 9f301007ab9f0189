package io.minik8s.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.Container;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.apiserver.storage.EtcdStorage;
import io.minik8s.testkit.EtcdProcess;
import io.minik8s.testkit.WithEtcd;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A list without a limit whose objects add up to more than gRPC's default message limit (4 MiB): etcd is read
 * in pages of keys at one revision, with a larger response limit, so the list succeeds. Found when a scheduler
 * restarted at 20,000 pods (about 10 MB) could not list them. Real etcd.
 */
@WithEtcd
class UnlimitedListTest {
  private final EtcdProcess etcd;
  private EtcdStorage storage;
  private Registries registries;

  UnlimitedListTest(EtcdProcess etcd) {
    this.etcd = etcd;
  }

  @BeforeEach
  void connect() {
    storage = EtcdStorage.connect(etcd.endpoint(), new SimpleMeterRegistry(), Duration.ofSeconds(10));
    registries = new Registries(storage, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    storage.close();
  }

  @Test
  void aListLargerThanOneEtcdResponseIsReadInPages() {
    String ns = "biglist";
    registries.namespaces().create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(ns)).build(),
        false);
    String filler = "x".repeat(200 * 1024); // annotations may hold 256 KiB
    int pods = 25; // about 5 MB in all
    for (int i = 0; i < pods; i++) {
      registries.pods().create(Pod.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("p" + i).putAnnotations("filler", filler))
          .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c").setImage("busybox")))
          .build(), false);
    }

    ResourceRegistry.ListPage<Pod> page = registries.pods().list(ns, m -> true, 0, "");

    assertThat(page.items()).hasSize(pods);
    assertThat(page.continueToken()).isEmpty();
  }
}
