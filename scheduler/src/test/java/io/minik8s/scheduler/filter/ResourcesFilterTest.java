package io.minik8s.scheduler.filter;

import static io.minik8s.scheduler.TestObjects.boundTo;
import static io.minik8s.scheduler.TestObjects.info;
import static io.minik8s.scheduler.TestObjects.node;
import static io.minik8s.scheduler.TestObjects.nodeInfo;
import static io.minik8s.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.scheduler.framework.PodInfo;
import io.minik8s.scheduler.framework.Resources;
import org.junit.jupiter.api.Test;

class ResourcesFilterTest {
  private final ResourcesFilter filter = new ResourcesFilter();

  @Test
  void quantitiesAreParsedAsKubernetesDoes() {
    PodInfo p = info(pod("p", "250m", "1Gi"));

    assertThat(p.requests()).isEqualTo(new Resources(250, 1024L * 1024 * 1024));
    assertThat(nodeInfo(node("n", "1.5", "512M", "10")).allocatable()).isEqualTo(new Resources(1500, 512_000_000));
    assertThat(nodeInfo(node("n", "1.5", "512M", "10")).allowedPods()).isEqualTo(10);
  }

  @Test
  void requestsOfAllContainersAddUp() {
    Pod.Builder b = pod("p", "250m", "1Gi").toBuilder();
    b.getSpecBuilder().addContainers(Container.newBuilder().setName("sidecar")
        .setResources(ResourceRequirements.newBuilder().putRequests("cpu", "0.5").putRequests("memory", "512Mi")));

    assertThat(info(b.build()).requests()).isEqualTo(new Resources(750, 1536L * 1024 * 1024));
  }

  @Test
  void fitsExactlyIntoWhatIsLeft() {
    // 2 cpu, 4Gi; seven pods of 250m/512Mi take 1750m and 3.5Gi: 250m and 512Mi are left.
    Pod[] placed = new Pod[7];
    for (int i = 0; i < placed.length; i++) {
      placed[i] = boundTo(pod("b" + i, "250m", "512Mi"), "n");
    }
    var node = nodeInfo(node("n", "2", "4Gi", "110"), placed);

    assertThat(filter.filter(info(pod("p", "250m", "512Mi")), node).isFit()).isTrue();
    assertThat(filter.filter(info(pod("p", "251m", "512Mi")), node).reasons()).containsExactly("Insufficient cpu");
    assertThat(filter.filter(info(pod("p", "250m", "513Mi")), node).reasons()).containsExactly("Insufficient memory");
    assertThat(filter.filter(info(pod("p", "1", "1Gi")), node).reasons())
        .containsExactly("Insufficient cpu", "Insufficient memory");
  }

  @Test
  void unrequestedResourcesAreNotChecked() {
    var full = nodeInfo(node("n", "1", "1Gi", "110"), boundTo(pod("b", "1", "1Gi"), "n"));

    assertThat(filter.filter(info(pod("p")), full).isFit()).isTrue();
    assertThat(filter.filter(info(pod("p", null, "1Mi")), full).reasons()).containsExactly("Insufficient memory");
  }

  @Test
  void podCountIsLimitedByAllocatablePods() {
    var node = nodeInfo(node("n", "2", "4Gi", "2"), boundTo(pod("a"), "n"), boundTo(pod("b"), "n"));

    assertThat(filter.filter(info(pod("p")), node).reasons()).containsExactly("Too many pods");
    assertThat(filter.filter(info(pod("p", "3", null)), node).reasons()).containsExactly("Too many pods", "Insufficient cpu");
    assertThat(filter.filter(info(pod("p")), nodeInfo(node("n", "2", "4Gi", "3"), boundTo(pod("a"), "n"))).isFit())
        .isTrue();
  }

  @Test
  void capacityStandsInForMissingAllocatable() {
    var n = node("n", "2", "4Gi", "110");
    n = n.toBuilder().setStatus(n.getStatus().toBuilder().clearAllocatable()).build();

    assertThat(filter.filter(info(pod("p", "2", "4Gi")), nodeInfo(n)).isFit()).isTrue();
    assertThat(filter.filter(info(pod("p", "2001m", null)), nodeInfo(n)).isFit()).isFalse();
  }
}
