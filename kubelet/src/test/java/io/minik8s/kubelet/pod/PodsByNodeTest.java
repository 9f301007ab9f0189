package io.minik8s.kubelet.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiClient.ListResult;
import io.minik8s.client.api.ApiClient.WatchListener;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.ListerWatcher;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One informer's pods split up by node; the informer is fed by hand (its store and handler calls). */
class PodsByNodeTest {
  private final Informer<Pod> informer = Informer.builder(Kinds.POD, new ListerWatcher<Pod>() {
    @Override
    public ListResult<Pod> list(ListOptions options) {
      throw new UnsupportedOperationException("never started");
    }

    @Override
    public ApiClient.Watch watch(WatchOptions options, WatchListener<Pod> listener) {
      throw new UnsupportedOperationException("never started");
    }
  }).build();
  private final PodsByNode pods = new PodsByNode(informer);

  private static Pod pod(String name, String node) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("ns").setName(name).setUid("uid-" + name))
        .setSpec(PodSpec.newBuilder().setNodeName(node)).build();
  }

  private void added(Pod p) {
    informer.store().put(p);
    pods.onAdd(p);
  }

  @Test
  void eachNodeSeesTheUidsOfItsOwnPodsOnly() {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    pods.register("a", a::add);
    pods.register("b", b::add);

    added(pod("p1", "a"));
    added(pod("p2", "b"));
    added(pod("p3", "elsewhere")); // a node of another process: ignored
    pods.onUpdate(pod("p1", "a"), pod("p1", "a"));
    informer.store().remove("ns/p2");
    pods.onDelete(pod("p2", "b"));

    assertThat(a).containsExactly("uid-p1", "uid-p1");
    assertThat(b).containsExactly("uid-p2", "uid-p2");
  }

  @Test
  void aNodeFindsItsPodsByUidButNotAnotherNodesPod() {
    added(pod("p1", "a"));

    assertThat(pods.pod("a", "uid-p1")).map(p -> p.getMetadata().getName()).contains("p1");
    assertThat(pods.pod("b", "uid-p1")).isEmpty();
    assertThat(pods.pod("a", "uid-nope")).isEmpty();
    assertThat(pods.size()).isEqualTo(1);
  }

  @Test
  void aNodeRegisteredLateGetsThePodsAlreadyCachedAndNothingAfterUnregistering() {
    added(pod("p1", "a"));
    added(pod("p2", "a"));
    List<String> a = new ArrayList<>();

    pods.register("a", a::add);
    pods.unregister("a");
    added(pod("p3", "a"));

    assertThat(a).containsExactlyInAnyOrder("uid-p1", "uid-p2");
  }
}
