package io.minik8s.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Event;
import io.minik8s.api.EventSource;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.api.PodCondition;
import io.minik8s.cli.apply.Applier;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DescribeCommandTest {
  private MkctlHarness mkctl;

  @BeforeEach
  void start() throws IOException {
    mkctl = new MkctlHarness();
  }

  @AfterEach
  void stop() {
    mkctl.close();
  }

  private static Timestamp ago(long seconds) {
    return Timestamp.newBuilder().setSeconds(MkctlHarness.NOW.getEpochSecond() - seconds).build();
  }

  private Event event(String name, Pod pod, String reason, long lastSeenAgo, int count, long firstSeenAgo) {
    return Event.newBuilder().setMetadata(Objects.meta("default", name, 0))
        .setInvolvedObject(ObjectReference.newBuilder().setKind("Pod").setName(pod.getMetadata().getName())
            .setUid(pod.getMetadata().getUid()))
        .setReason(reason).setMessage(reason + " happened").setType("Normal").setCount(count)
        .setFirstTimestamp(ago(firstSeenAgo)).setLastTimestamp(ago(lastSeenAgo))
        .setSource(EventSource.newBuilder().setComponent("kubelet").setHost("node-1"))
        .build();
  }

  @Test
  void describesAPodWithItsContainersConditionsAndOwnEvents() {
    Pod base = Objects.runningPod("default", "web", 300);
    Pod pod = mkctl.api.put(base.toBuilder()
        .setMetadata(base.getMetadata().toBuilder().putAnnotations(Applier.LAST_APPLIED, "{}")
            .putAnnotations("note", "hello"))
        .setStatus(base.getStatus().toBuilder().setHostIp("192.168.0.2")
            .addConditions(PodCondition.newBuilder().setType("Ready").setStatus("True")))
        .build());
    Pod other = mkctl.api.put(Objects.runningPod("default", "other", 300));
    mkctl.api.put(event("e1", pod, "Started", 60, 1, 60));
    mkctl.api.put(event("e2", pod, "Scheduled", 290, 1, 290));
    mkctl.api.put(event("e3", pod, "Pulled", 30, 3, 250));
    mkctl.api.put(event("e4", other, "Killing", 10, 1, 10));

    MkctlHarness.Result result = mkctl.run("describe", "pod", "web");

    assertThat(result.exitCode()).isZero();
    String out = result.out();
    assertThat(out).startsWith(""
        + "Name:               web\n"
        + "Namespace:          default\n"
        + "Node:               node-1/192.168.0.2\n"
        + "Labels:             app=web\n"
        + "Annotations:        note: hello\n"
        + "CreationTimestamp:  Wed, 01 May 2024 11:55:00 +0000\n"
        + "Status:             Running\n"
        + "IP:                 10.1.0.5\n");
    assertThat(out).contains(""
        + "IPs:\n"
        + "  IP:  10.1.0.5\n"
        + "Containers:\n"
        + "  main:\n"
        + "    Image:          nginx\n"
        + "    Image ID:       \n"
        + "    Port:           <none>\n"
        + "    Host Port:      <none>\n"
        + "    State:          Running\n"
        + "      Started:      <unset>\n"
        + "    Ready:          True\n"
        + "    Restart Count:  0\n"
        + "    Environment:    <none>\n"
        + "Conditions:\n"
        + "  Type           Status\n"
        + "  Ready          True\n"
        + "Node-Selectors:  <none>\n");
    assertThat(out).endsWith(""
        + "Events:\n"
        + "  Type    Reason     Age                  From             Message\n"
        + "  ----    ------     ----                 ----             -------\n"
        + "  Normal  Scheduled  4m50s                kubelet, node-1  Scheduled happened\n"
        + "  Normal  Started    60s                  kubelet, node-1  Started happened\n"
        + "  Normal  Pulled     30s (x3 over 4m10s)  kubelet, node-1  Pulled happened\n");
    assertThat(out).doesNotContain("Killing").doesNotContain(Applier.LAST_APPLIED);
  }

  @Test
  void describesAServiceWithItsEndpoints() {
    mkctl.api.put(Objects.service("default", "web", 60));
    mkctl.api.put(Endpoints.newBuilder().setMetadata(Objects.meta("default", "web", 60))
        .addSubsets(EndpointSubset.newBuilder()
            .addAddresses(EndpointAddress.newBuilder().setIp("10.1.0.5"))
            .addAddresses(EndpointAddress.newBuilder().setIp("10.1.0.6"))
            .addPorts(EndpointPort.newBuilder().setPort(8080).setProtocol("TCP")))
        .build());

    String out = mkctl.run("describe", "svc", "web").out();

    assertThat(out).isEqualTo(""
        + "Name:               web\n"
        + "Namespace:          default\n"
        + "Labels:             <none>\n"
        + "Annotations:        <none>\n"
        + "CreationTimestamp:  Wed, 01 May 2024 11:59:00 +0000\n"
        + "Selector:           app=web\n"
        + "Type:               ClusterIP\n"
        + "IP:                 10.96.0.20\n"
        + "Port:               <unset>  80/TCP\n"
        + "TargetPort:         80/TCP\n"
        + "Endpoints:          10.1.0.5:8080,10.1.0.6:8080\n"
        + "Session Affinity:   None\n"
        + "Events:             <none>\n");
  }

  @Test
  void aNameIsAlsoAPrefixAndAMissingOneIsNotFound() {
    mkctl.api.put(Objects.runningPod("default", "web-1", 60));
    mkctl.api.put(Objects.runningPod("default", "web-2", 60));

    MkctlHarness.Result prefix = mkctl.run("describe", "pods", "web");
    assertThat(prefix.out()).contains("Name:               web-1\n").contains("\n\n\nName:               web-2\n");

    MkctlHarness.Result missing = mkctl.run("describe", "pod", "nope");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("Error from server (NotFound): pods \"nope\" not found\n");
  }

  @Test
  void otherKindsAreDescribedFieldByField() {
    mkctl.api.put(io.minik8s.api.Lease.newBuilder().setMetadata(Objects.meta("kube-system", "scheduler", 60))
        .setSpec(io.minik8s.api.LeaseSpec.newBuilder().setHolderIdentity("host-1").setLeaseDurationSeconds(15))
        .build());

    String out = mkctl.run("describe", "lease", "scheduler", "-n", "kube-system").out();

    assertThat(out).contains("API Version:        coordination.k8s.io/v1\n")
        .contains("Spec:\n")
        .containsPattern("\n  Holder Identity: +host-1\n")
        .containsPattern("\n  Lease Duration Seconds: +15\n");
  }
}
