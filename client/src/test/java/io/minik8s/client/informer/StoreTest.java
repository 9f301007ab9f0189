package io.minik8s.client.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.client.selector.LabelSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreTest {
  private final Store<Pod> store = new Store<>();

  @Test
  void keysAreNamespaceSlashNameOrJustName() {
    assertThat(Store.keyOf(pod("ns", "a", "n1", "web"))).isEqualTo("ns/a");
    assertThat(Store.keyOf(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("n1")).build()))
        .isEqualTo("n1");
  }

  @Test
  void putGetRemove() {
    Pod a = pod("ns", "a", "n1", "web");
    assertThat(store.put(a)).isNull();
    Pod a2 = pod("ns", "a", "n2", "web");
    assertThat(store.put(a2)).isEqualTo(a);
    assertThat(store.get("ns", "a")).contains(a2);
    assertThat(store.remove("ns/a")).isEqualTo(a2);
    assertThat(store.get("ns/a")).isEmpty();
    assertThat(store.remove("ns/a")).isNull();
  }

  @Test
  void indexesFollowUpdatesAndRemovals() {
    store.put(pod("ns", "a", "n1", "web"));
    store.addIndex("node", p -> List.of(p.getSpec().getNodeName()));
    store.put(pod("ns", "b", "n1", "db"));
    assertThat(names(store.byIndex("node", "n1"))).containsExactlyInAnyOrder("a", "b");
    store.put(pod("ns", "a", "n2", "web"));
    assertThat(names(store.byIndex("node", "n1"))).containsExactly("b");
    assertThat(names(store.byIndex("node", "n2"))).containsExactly("a");
    store.remove("ns/b");
    assertThat(store.byIndex("node", "n1")).isEmpty();
    assertThatThrownBy(() -> store.byIndex("nope", "x")).hasMessageContaining("no index named nope");
    assertThatThrownBy(() -> store.addIndex("node", p -> List.of())).hasMessageContaining("already exists");
  }

  @Test
  void listerQueriesByNamespaceAndSelector() {
    store.put(pod("ns1", "a", "n1", "web"));
    store.put(pod("ns1", "b", "n1", "db"));
    store.put(pod("ns2", "c", "n1", "web"));
    assertThat(names(store.listInNamespace("ns1"))).containsExactlyInAnyOrder("a", "b");
    assertThat(names(store.list(LabelSelector.parse("app=web")))).containsExactlyInAnyOrder("a", "c");
    assertThat(names(store.listInNamespace("ns1", LabelSelector.parse("app!=web")))).containsExactly("b");
    assertThat(store.list()).hasSize(3);
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }

  private static Pod pod(String ns, String name, String node, String app) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name)
        .putLabels("app", app)).setSpec(PodSpec.newBuilder().setNodeName(node)).build();
  }
}
