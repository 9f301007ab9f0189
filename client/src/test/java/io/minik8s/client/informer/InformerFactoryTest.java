package io.minik8s.client.informer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InformerFactoryTest {
  private final FakeListerWatcher<Pod> pods = new FakeListerWatcher<>(Kinds.POD);
  private final FakeListerWatcher<Node> nodes = new FakeListerWatcher<>(Kinds.NODE);
  private final List<String> created = new ArrayList<>();

  private final InformerFactory factory = new InformerFactory(new InformerFactory.ListerWatcherSource() {
    @Override
    @SuppressWarnings("unchecked")
    public <T extends Message> ListerWatcher<T> create(Kind<T> kind, ListOptions options) {
      created.add(kind.resource() + " " + options.fieldSelector());
      return (ListerWatcher<T>) (kind == Kinds.POD ? pods : nodes);
    }
  }, Duration.ZERO);

  @Test
  void sharesOneInformerPerKindAndOptions() throws Exception {
    Informer<Pod> a = factory.informer(Kinds.POD);
    Informer<Pod> b = factory.informer(Kinds.POD, ListOptions.ALL);
    Informer<Pod> mine = factory.informer(Kinds.POD, ListOptions.ALL.withFieldSelector("spec.nodeName=n1"));
    assertThat(a).isSameAs(b).isNotSameAs(mine);
    assertThat(created).containsExactly("pods ", "pods spec.nodeName=n1");
    assertThat(mine.name()).isEqualTo("pods[spec.nodeName=n1]");

    nodes.put(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("n1")).build());
    Informer<Node> n = factory.informer(Kinds.NODE);
    assertThat(factory.hasSynced()).isFalse();
    factory.startAll();
    try {
      assertThat(factory.awaitSynced(Duration.ofSeconds(5))).isTrue();
      assertThat(factory.hasSynced()).isTrue();
      assertThat(n.lister().get("n1")).isPresent();
    } finally {
      factory.stopAll();
    }
  }
}
