package io.minik8s.client.printers;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStatus;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.LoadBalancerStatus;
import io.minik8s.api.Node;
import io.minik8s.api.NodeCondition;
import io.minik8s.api.NodeSpec;
import io.minik8s.api.NodeStatus;
import io.minik8s.api.NodeSystemInfo;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.ServiceStatus;
import io.minik8s.client.api.Kinds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TablePrintersTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static ObjectMeta meta(String name, long ageSeconds) {
    return ObjectMeta.newBuilder().setName(name)
        .setCreationTimestamp(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - ageSeconds)).build();
  }

  @Test
  void nodes() {
    Node node = Node.newBuilder().setMetadata(meta("n1", 3 * 86400 + 4 * 3600).toBuilder()
            .putLabels("node-role.kubernetes.io/control-plane", "").putLabels("node-role.kubernetes.io/worker", ""))
        .setSpec(NodeSpec.newBuilder().setUnschedulable(true))
        .setStatus(NodeStatus.newBuilder().addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True"))
            .setNodeInfo(NodeSystemInfo.newBuilder().setKubeletVersion("v0.1.0")))
        .build();
    var printer = TablePrinters.forKind(Kinds.NODE, CLOCK);

    assertThat(printer.columns(false)).containsExactly("NAME", "STATUS", "ROLES", "AGE", "VERSION");
    assertThat(printer.row(node, false))
        .containsExactly("n1", "Ready,SchedulingDisabled", "control-plane,worker", "3d4h", "v0.1.0");
    Node notReady = node.toBuilder().setSpec(NodeSpec.getDefaultInstance()).setMetadata(meta("n2", 10))
        .setStatus(NodeStatus.newBuilder().addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("Unknown")))
        .build();
    assertThat(printer.row(notReady, false)).containsExactly("n2", "NotReady", "<none>", "10s", "");
    assertThat(printer.row(Node.newBuilder().setMetadata(meta("n3", 10)).build(), false).get(1)).isEqualTo("Unknown");
  }

  @Test
  void services() {
    var printer = TablePrinters.forKind(Kinds.SERVICE, CLOCK);
    Service nodePort = Service.newBuilder().setMetadata(meta("web", 60))
        .setSpec(ServiceSpec.newBuilder().setType("NodePort").setClusterIp("10.96.0.10").putSelector("app", "web")
            .addPorts(ServicePort.newBuilder().setPort(80).setNodePort(30080).setProtocol("TCP"))
            .addPorts(ServicePort.newBuilder().setPort(53).setProtocol("UDP")))
        .build();
    assertThat(printer.row(nodePort, true))
        .containsExactly("web", "NodePort", "10.96.0.10", "<none>", "80:30080/TCP,53/UDP", "60s", "app=web");

    Service lb = Service.newBuilder().setMetadata(meta("lb", 60))
        .setSpec(ServiceSpec.newBuilder().setType("LoadBalancer").setClusterIp("10.96.0.11")
            .addPorts(ServicePort.newBuilder().setPort(443).setNodePort(31443).setProtocol("TCP")))
        .build();
    assertThat(printer.row(lb, false).get(3)).isEqualTo("<pending>");
    Service lbReady = lb.toBuilder().setStatus(ServiceStatus.newBuilder().setLoadBalancer(
        LoadBalancerStatus.newBuilder().addIngress(LoadBalancerIngress.newBuilder().setIp("192.168.1.240")))).build();
    assertThat(printer.row(lbReady, false).get(3)).isEqualTo("192.168.1.240");

    Service headless = Service.newBuilder().setMetadata(meta("db", 60))
        .setSpec(ServiceSpec.newBuilder().setClusterIp("None")).build();
    assertThat(printer.row(headless, false)).containsExactly("db", "ClusterIP", "None", "<none>", "<none>", "60s");
  }

  @Test
  void endpointsShowThreeAddressesThenHowManyMore() {
    var printer = TablePrinters.forKind(Kinds.ENDPOINTS, CLOCK);
    EndpointSubset.Builder subset = EndpointSubset.newBuilder()
        .addPorts(EndpointPort.newBuilder().setPort(8080));
    for (int i = 1; i <= 5; i++) {
      subset.addAddresses(EndpointAddress.newBuilder().setIp("10.1.0." + i));
    }
    Endpoints endpoints = Endpoints.newBuilder().setMetadata(meta("web", 5)).addSubsets(subset).build();

    assertThat(printer.row(endpoints, false))
        .containsExactly("web", "10.1.0.1:8080,10.1.0.2:8080,10.1.0.3:8080 + 2 more...", "5s");
    assertThat(printer.row(Endpoints.newBuilder().setMetadata(meta("none", 5)).build(), false).get(1))
        .isEqualTo("<none>");
  }

  @Test
  void deploymentsCountReplicasAgainstTheDesiredNumber() {
    var printer = TablePrinters.forKind(Kinds.DEPLOYMENT, CLOCK);
    Deployment deployment = Deployment.newBuilder().setMetadata(meta("web", 600))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(3)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "web")))
        .setStatus(DeploymentStatus.newBuilder().setReadyReplicas(2).setUpdatedReplicas(3).setAvailableReplicas(2))
        .build();

    assertThat(printer.row(deployment, false)).containsExactly("web", "2/3", "3", "2", "10m");
    assertThat(printer.row(deployment, true)).endsWith("app=web");
    assertThat(printer.row(Deployment.newBuilder().setMetadata(meta("one", 1)).build(), false).get(1))
        .isEqualTo("0/1");
  }

  @Test
  void eventsShowWhenWhatAndToWhichObject() {
    var printer = TablePrinters.forKind(Kinds.EVENT, CLOCK);
    io.minik8s.api.Event event = io.minik8s.api.Event.newBuilder().setMetadata(meta("web.1", 300))
        .setInvolvedObject(io.minik8s.api.ObjectReference.newBuilder().setKind("Pod").setName("web"))
        .setType("Warning").setReason("BackOff").setMessage("Back-off restarting failed container")
        .setFirstTimestamp(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 300))
        .setLastTimestamp(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 12)).setCount(4)
        .build();

    assertThat(printer.columns(false)).containsExactly("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
    assertThat(printer.row(event, false))
        .containsExactly("12s", "Warning", "BackOff", "pod/web", "Back-off restarting failed container");
    assertThat(printer.row(event, true)).contains("5m", "4", "web.1");
  }

  @Test
  void leasesShowTheirHolder() {
    var printer = TablePrinters.forKind(Kinds.LEASE, CLOCK);
    io.minik8s.api.Lease lease = io.minik8s.api.Lease.newBuilder().setMetadata(meta("kube-scheduler", 7200))
        .setSpec(io.minik8s.api.LeaseSpec.newBuilder().setHolderIdentity("host-1_abc")).build();

    assertThat(printer.columns(false)).containsExactly("NAME", "HOLDER", "AGE");
    assertThat(printer.row(lease, false)).containsExactly("kube-scheduler", "host-1_abc", "120m");
  }

  @Test
  void replicaSetsAndNamespaces() {
    io.minik8s.api.ReplicaSet rs = io.minik8s.api.ReplicaSet.newBuilder().setMetadata(meta("web-5d8f", 30))
        .setSpec(io.minik8s.api.ReplicaSetSpec.newBuilder().setReplicas(3))
        .setStatus(io.minik8s.api.ReplicaSetStatus.newBuilder().setReplicas(3).setReadyReplicas(1)).build();
    assertThat(TablePrinters.forKind(Kinds.REPLICA_SET, CLOCK).row(rs, false))
        .containsExactly("web-5d8f", "3", "3", "1", "30s");

    io.minik8s.api.Namespace ns = io.minik8s.api.Namespace.newBuilder().setMetadata(meta("demo", 90000))
        .setStatus(io.minik8s.api.NamespaceStatus.newBuilder().setPhase("Terminating")).build();
    assertThat(TablePrinters.forKind(Kinds.NAMESPACE, CLOCK).row(ns, false))
        .containsExactly("demo", "Terminating", "25h");
  }
}
