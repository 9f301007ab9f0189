package io.minik8s.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.client.api.Kinds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KindNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"pods", "pod", "po", "Pod", "PODS"})
  void podsByEveryNameKubectlTakes(String name) {
    assertThat(KindNames.resolve(name)).isSameAs(Kinds.POD);
  }

  @Test
  void shortNamesAndGroupQualifiedNames() {
    assertThat(KindNames.resolve("deploy")).isSameAs(Kinds.DEPLOYMENT);
    assertThat(KindNames.resolve("deployments.apps")).isSameAs(Kinds.DEPLOYMENT);
    assertThat(KindNames.resolve("svc")).isSameAs(Kinds.SERVICE);
    assertThat(KindNames.resolve("ns")).isSameAs(Kinds.NAMESPACE);
    assertThat(KindNames.resolve("no")).isSameAs(Kinds.NODE);
    assertThat(KindNames.resolve("rs")).isSameAs(Kinds.REPLICA_SET);
    assertThat(KindNames.resolve("ep")).isSameAs(Kinds.ENDPOINTS);
    assertThat(KindNames.resolve("ev")).isSameAs(Kinds.EVENT);
    assertThat(KindNames.resolve("leases")).isSameAs(Kinds.LEASE);
  }

  @Test
  void commaListsKeepTheirOrderWithoutDuplicates() {
    assertThat(KindNames.resolveList("pods,svc,po")).containsExactly(Kinds.POD, Kinds.SERVICE);
  }

  @Test
  void anUnknownTypeIsAUsageError() {
    assertThatThrownBy(() -> KindNames.resolve("widgets")).isInstanceOf(UsageException.class)
        .hasMessage("the server doesn't have a resource type \"widgets\"");
    assertThatThrownBy(() -> KindNames.resolve("deployments.core")).isInstanceOf(UsageException.class);
  }

  @Test
  void resourceRefsAreWrittenAsKubectlWritesThem() {
    assertThat(new ResourceRef(Kinds.POD, "web").slashed()).isEqualTo("pod/web");
    assertThat(new ResourceRef(Kinds.DEPLOYMENT, "web").slashed()).isEqualTo("deployment.apps/web");
    assertThat(new ResourceRef(Kinds.LEASE, "x").slashed()).isEqualTo("lease.coordination.k8s.io/x");
    assertThat(new ResourceRef(Kinds.DEPLOYMENT, "web").quoted()).isEqualTo("deployment.apps \"web\"");
  }
}
