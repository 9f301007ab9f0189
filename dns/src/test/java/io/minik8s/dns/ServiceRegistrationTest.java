package io.minik8s.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.dns.ServiceRegistration.ServicePlan;
import io.minik8s.dns.ServiceRegistration.Target;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure decisions of the DNS server's self-registration. */
class ServiceRegistrationTest {
  static final Target TARGET = new Target("kube-system", "kube-dns", "10.96.0.10", "192.0.2.2", 5353);

  @Test
  void theServiceHasNoSelectorTheFixedIpAndBothPortsToTheListenPort() {
    Service svc = ServiceRegistration.desiredService(TARGET);

    assertThat(svc.getMetadata().getNamespace()).isEqualTo("kube-system");
    assertThat(svc.getMetadata().getName()).isEqualTo("kube-dns");
    assertThat(svc.getSpec().getSelectorMap()).isEmpty();
    assertThat(svc.getSpec().getClusterIp()).isEqualTo("10.96.0.10");
    assertThat(svc.getSpec().getPortsList()).containsExactly(
        ServicePort.newBuilder().setName("dns").setProtocol("UDP").setPort(53)
            .setTargetPort(IntOrString.newBuilder().setIntVal(5353)).build(),
        ServicePort.newBuilder().setName("dns-tcp").setProtocol("TCP").setPort(53)
            .setTargetPort(IntOrString.newBuilder().setIntVal(5353)).build());
    assertThat(ServiceRegistration.desiredService(new Target("ns", "dns", "", "192.0.2.2", 53)).getSpec()
        .getClusterIp()).isEmpty();
  }

  @Test
  void theServiceIsCreatedKeptUpdatedOrRecreatedAsItDiffers() {
    Service right = ServiceRegistration.desiredService(TARGET);
    // What the API server adds (defaults) does not count as a difference.
    Service stored = right.toBuilder().setSpec(right.getSpec().toBuilder().setSessionAffinity("None")
        .addClusterIps("10.96.0.10")).build();

    assertThat(ServiceRegistration.plan(Optional.empty(), TARGET)).isEqualTo(ServicePlan.CREATE);
    assertThat(ServiceRegistration.plan(Optional.of(stored), TARGET)).isEqualTo(ServicePlan.KEEP);
    Service otherPort = ServiceRegistration.desiredService(new Target("kube-system", "kube-dns", "10.96.0.10",
        "192.0.2.2", 53));
    assertThat(ServiceRegistration.plan(Optional.of(otherPort), TARGET)).isEqualTo(ServicePlan.UPDATE);
    Service otherIp = right.toBuilder().setSpec(right.getSpec().toBuilder().setClusterIp("10.96.7.7")).build();
    assertThat(ServiceRegistration.plan(Optional.of(otherIp), TARGET)).isEqualTo(ServicePlan.RECREATE);
    // Without a fixed IP any allocated one is fine.
    Target anyIp = new Target("kube-system", "kube-dns", "", "192.0.2.2", 5353);
    assertThat(ServiceRegistration.plan(Optional.of(otherIp), anyIp)).isEqualTo(ServicePlan.KEEP);
  }

  @Test
  void ourAddressJoinsTheSubsetOfOurPortsBesideOtherServers() {
    Endpoints empty = Endpoints.getDefaultInstance();
    Endpoints first = ServiceRegistration.withAddress(empty, TARGET);
    assertThat(first.getSubsetsList()).containsExactly(EndpointSubset.newBuilder()
        .addAddresses(EndpointAddress.newBuilder().setIp("192.0.2.2"))
        .addPorts(EndpointPort.newBuilder().setName("dns").setPort(5353).setProtocol("UDP"))
        .addPorts(EndpointPort.newBuilder().setName("dns-tcp").setPort(5353).setProtocol("TCP"))
        .build());
    assertThat(ServiceRegistration.hasAddress(first, TARGET)).isTrue();

    Target other = new Target("kube-system", "kube-dns", "10.96.0.10", "192.0.2.3", 5353);
    assertThat(ServiceRegistration.hasAddress(first, other)).isFalse();
    Endpoints both = ServiceRegistration.withAddress(first, other);
    assertThat(both.getSubsetsList()).hasSize(1);
    assertThat(both.getSubsets(0).getAddressesList()).extracting(EndpointAddress::getIp)
        .containsExactly("192.0.2.2", "192.0.2.3");
  }

  @Test
  void aRestartOnAnotherPortMovesOurAddressInsteadOfListingItTwice() {
    Target before = new Target("kube-system", "kube-dns", "10.96.0.10", "192.0.2.2", 53);
    Endpoints old = ServiceRegistration.withAddress(Endpoints.getDefaultInstance(), before);
    assertThat(ServiceRegistration.hasAddress(old, TARGET)).isFalse();

    Endpoints moved = ServiceRegistration.withAddress(old, TARGET);

    assertThat(moved.getSubsetsList()).hasSize(1);
    assertThat(moved.getSubsets(0).getPortsList()).extracting(EndpointPort::getPort).containsOnly(5353);
    assertThat(ServiceRegistration.hasAddress(moved, TARGET)).isTrue();
  }

  @Test
  void leavingRemovesOnlyOurAddressAndDropsSubsetsLeftEmpty() {
    Target other = new Target("kube-system", "kube-dns", "10.96.0.10", "192.0.2.3", 5353);
    Endpoints both = ServiceRegistration.withAddress(ServiceRegistration.withAddress(Endpoints.getDefaultInstance(),
        TARGET), other);

    Endpoints left = ServiceRegistration.withoutAddress(both, "192.0.2.2");
    assertThat(left.getSubsetsList()).hasSize(1);
    assertThat(left.getSubsets(0).getAddressesList()).extracting(EndpointAddress::getIp).containsExactly("192.0.2.3");

    Endpoints none = ServiceRegistration.withoutAddress(left, "192.0.2.3");
    assertThat(none.getSubsetsList()).isEmpty();
    assertThat(ServiceRegistration.withoutAddress(none, "192.0.2.3")).isEqualTo(none);
  }

  @Test
  void anAddressListedAsNotReadyDoesNotCountAsRegistered() {
    Endpoints notReady = Endpoints.newBuilder().addSubsets(EndpointSubset.newBuilder()
        .addNotReadyAddresses(EndpointAddress.newBuilder().setIp("192.0.2.2"))
        .addAllPorts(ServiceRegistration.endpointPorts(TARGET))).build();
    assertThat(ServiceRegistration.hasAddress(notReady, TARGET)).isFalse();
    Endpoints fixed = ServiceRegistration.withAddress(notReady, TARGET);
    assertThat(fixed.getSubsetsList()).hasSize(1);
    assertThat(fixed.getSubsets(0).getNotReadyAddressesList()).isEmpty();
    assertThat(fixed.getSubsets(0).getAddressesList()).extracting(EndpointAddress::getIp).containsExactly("192.0.2.2");
    assertThat(List.of(fixed)).allMatch(e -> ServiceRegistration.hasAddress(e, TARGET));
  }
}
