package io.minik8s.client.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.minik8s.api.Deployment;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Lease;
import io.minik8s.api.Node;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.client.api.Kinds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Manifests written as in the Kubernetes documentation survive decode → encode → decode unchanged. */
class ManifestRoundTripTest {
  static final String NAMESPACE = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: development
        labels:
          name: development
      """;

  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: nginx-deployment
        namespace: development
        labels:
          app: nginx
      spec:
        replicas: 3
        selector:
          matchLabels:
            app: nginx
        strategy:
          type: RollingUpdate
          rollingUpdate:
            maxSurge: 25%
            maxUnavailable: 1
        template:
          metadata:
            labels:
              app: nginx
          spec:
            containers:
            - name: nginx
              image: nginx:1.14.2
              imagePullPolicy: IfNotPresent
              ports:
              - name: http
                containerPort: 80
                protocol: TCP
              - name: metrics
                containerPort: 9113
              env:
              - name: NGINX_PORT
                value: "80"
              - name: DEBUG
                value: "false"
              resources:
                requests:
                  cpu: 250m
                  memory: 64Mi
                limits:
                  cpu: 500m
                  memory: 128Mi
              livenessProbe:
                httpGet:
                  path: /healthz
                  port: http
                  httpHeaders:
                  - name: Custom-Header
                    value: Awesome
                initialDelaySeconds: 3
                periodSeconds: 3
              readinessProbe:
                tcpSocket:
                  port: 80
                periodSeconds: 10
      """;

  static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata:
        name: my-service
        namespace: development
      spec:
        type: NodePort
        selector:
          app.kubernetes.io/name: MyApp
        ports:
          - name: http
            protocol: TCP
            port: 80
            targetPort: http
            nodePort: 30007
        clusterIP: 10.96.0.17
      """;

  static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: two-containers
        namespace: default
        creationTimestamp: "2026-11-27T09:59:58Z"
      spec:
        restartPolicy: Never
        terminationGracePeriodSeconds: 0
        containers:
        - name: nginx-container
          image: nginx
        - name: debian-container
          image: debian
          command: ["/bin/sh"]
          args: ["-c", "echo Hello from the debian container > /pod-data/index.html"]
      status:
        phase: Running
        hostIP: 192.168.1.10
        podIP: 10.244.1.5
        podIPs:
        - ip: 10.244.1.5
        startTime: 2026-11-27T10:00:00Z
        containerStatuses:
        - name: nginx-container
          ready: true
          restartCount: 0
          started: true
          image: docker.io/library/nginx:latest
          imageID: docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a
          containerID: containerd://4d6b5c1e
          state:
            running:
              startedAt: "2026-11-27T10:00:01Z"
      """;

  static final String LEASE = """
      apiVersion: coordination.k8s.io/v1
      kind: Lease
      metadata:
        name: kube-scheduler
        namespace: kube-system
      spec:
        holderIdentity: master-1_6a4c0b4e-1f2d-4a6b-9c1d-2e3f4a5b6c7d
        leaseDurationSeconds: 15
        acquireTime: "2026-11-27T10:00:00.123456Z"
        renewTime: "2026-11-27T10:00:10.000500Z"
        leaseTransitions: 0
      """;

  static final String NODE = """
      apiVersion: v1
      kind: Node
      metadata:
        name: worker-1
        labels:
          kubernetes.io/hostname: worker-1
          kubernetes.io/os: linux
      spec:
        podCIDR: 10.244.1.0/24
        podCIDRs:
        - 10.244.1.0/24
        taints:
        - key: node.kubernetes.io/not-ready
          effect: NoSchedule
      status:
        capacity:
          cpu: "4"
          memory: 16331156Ki
          pods: "110"
        allocatable:
          cpu: 3900m
          memory: 16228756Ki
          pods: "110"
        conditions:
        - type: MemoryPressure
          status: "False"
          lastHeartbeatTime: "2026-11-27T10:00:00Z"
          lastTransitionTime: "2026-11-27T09:00:00Z"
          reason: KubeletHasSufficientMemory
          message: kubelet has sufficient memory available
        - type: Ready
          status: "True"
          lastHeartbeatTime: "2026-11-27T10:00:00Z"
          lastTransitionTime: "2026-11-27T09:00:05Z"
          reason: KubeletReady
          message: kubelet is posting ready status
        addresses:
        - type: InternalIP
          address: 192.168.1.11
        - type: Hostname
          address: worker-1
        nodeInfo:
          machineID: 3b1f5e0c9a8d4e7f
          systemUUID: 3B1F5E0C-9A8D-4E7F
          bootID: 5c2d
          kernelVersion: 6.1.0-18-amd64
          osImage: Debian GNU/Linux 12 (bookworm)
          containerRuntimeVersion: containerd://1.7.24
          kubeletVersion: v0.1.0
          operatingSystem: linux
          architecture: amd64
        daemonEndpoints:
          kubeletEndpoint:
            Port: 10250
      """;

  private final ManifestDecoder decoder = new ManifestDecoder();
  private final ManifestEncoder encoder = new ManifestEncoder();

  private List<Manifest> all() {
    return decoder.decode("cluster.yaml",
        String.join("---\n", NAMESPACE, DEPLOYMENT, SERVICE, POD, LEASE, NODE));
  }

  @Test
  void decodesEveryDocumentWithItsKindDocumentAndLine() {
    List<Manifest> manifests = all();

    assertThat(manifests).extracting(m -> m.kind().kind())
        .containsExactly("Namespace", "Deployment", "Service", "Pod", "Lease", "Node");
    assertThat(manifests).extracting(Manifest::document).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(manifests.get(0).line()).isEqualTo(1);
    assertThat(manifests.get(1).line()).isEqualTo(NAMESPACE.split("\n").length + 2);
    assertThat(manifests).allSatisfy(m -> {
      assertThat(m.source()).isEqualTo("cluster.yaml");
      assertThat(m.object().getDescriptorForType()).isSameAs(m.kind().descriptor());
    });
  }

  @Test
  void readsKubernetesValuesIntoTheRightFields() {
    Deployment deployment = decoder.decode(Kinds.DEPLOYMENT, DEPLOYMENT);
    assertThat(deployment.getSpec().hasReplicas()).isTrue();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment.getSpec().hasRevisionHistoryLimit()).isFalse();
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge())
        .isEqualTo(IntOrString.newBuilder().setStrVal("25%").build());
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
        .isEqualTo(IntOrString.newBuilder().setIntVal(1).build());
    var container = deployment.getSpec().getTemplate().getSpec().getContainers(0);
    assertThat(container.getPorts(1).getContainerPort()).isEqualTo(9113);
    assertThat(container.getResources().getRequestsMap()).containsEntry("cpu", "250m").containsEntry("memory", "64Mi");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(container.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(80);
    assertThat(container.getEnv(1).getValue()).isEqualTo("false");

    Service service = decoder.decode(Kinds.SERVICE, SERVICE);
    assertThat(service.getSpec().getClusterIp()).isEqualTo("10.96.0.17");
    assertThat(service.getSpec().getPorts(0).getTargetPort().getStrVal()).isEqualTo("http");
    assertThat(service.getSpec().getPorts(0).getNodePort()).isEqualTo(30007);

    Pod pod = decoder.decode(Kinds.POD, POD);
    assertThat(pod.getSpec().hasTerminationGracePeriodSeconds()).isTrue();
    assertThat(pod.getSpec().getContainersList()).extracting(c -> c.getName())
        .containsExactly("nginx-container", "debian-container");
    assertThat(pod.getStatus().getPodIp()).isEqualTo("10.244.1.5");
    assertThat(pod.getStatus().getContainerStatuses(0).getContainerId()).isEqualTo("containerd://4d6b5c1e");
    assertThat(pod.getStatus().getStartTime().getSeconds()).isEqualTo(1795773600L);

    Lease lease = decoder.decode(Kinds.LEASE, LEASE);
    assertThat(lease.getSpec().getAcquireTime().getNanos()).isEqualTo(123_456_000);
    assertThat(lease.getSpec().hasLeaseTransitions()).isTrue();

    Node node = decoder.decode(Kinds.NODE, NODE);
    assertThat(node.getStatus().getCapacityMap()).containsEntry("cpu", "4").containsEntry("pods", "110");
    assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
    assertThat(node.getStatus().getConditions(1).getStatus()).isEqualTo("True");
  }

  @Test
  void yamlRoundTripGivesEqualObjects() {
    for (Manifest manifest : all()) {
      String yaml = encoder.toYaml(manifest.object());
      List<Manifest> again = decoder.decode("again.yaml", yaml);
      assertThat(again).hasSize(1);
      assertThat(again.get(0).object()).as(yaml).isEqualTo(manifest.object());
    }
  }

  @Test
  void jsonRoundTripGivesEqualObjects() {
    for (Manifest manifest : all()) {
      Message object = manifest.object();
      assertThat(decoder.decode("pretty.json", encoder.toJson(object)).get(0).object()).isEqualTo(object);
      assertThat(decoder.decode("compact.json", encoder.toCompactJson(object)).get(0).object()).isEqualTo(object);
      assertThat(decoder.decode(manifest.kind(), encoder.toCompactJson(object))).isEqualTo(object);
    }
  }

  @Test
  void listRoundTripGivesTheSameObjectsInOrder() {
    List<Message> objects = all().stream().map(Manifest::object).toList();

    String yaml = encoder.toYaml(objects);
    String json = encoder.toJson(objects);

    assertThat(yaml).startsWith("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n");
    assertThat(decoder.decode("list.yaml", yaml)).extracting(Manifest::object).isEqualTo(objects);
    assertThat(decoder.decode("list.json", json)).extracting(Manifest::object).isEqualTo(objects);
  }

  @Test
  void yamlHasKubernetesKeysAndValues() {
    String deployment = encoder.toYaml(decoder.decode(Kinds.DEPLOYMENT, DEPLOYMENT));
    assertThat(deployment)
        .startsWith("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx-deployment\n")
        .contains("    rollingUpdate:\n      maxUnavailable: 1\n      maxSurge: 25%\n")
        .contains("        resources:\n"
            + "          limits:\n"
            + "            cpu: 500m\n"
            + "            memory: 128Mi\n"
            + "          requests:\n"
            + "            cpu: 250m\n"
            + "            memory: 64Mi\n")
        .contains("        env:\n"
            + "        - name: NGINX_PORT\n"
            + "          value: \"80\"\n"
            + "        - name: DEBUG\n"
            + "          value: \"false\"\n")
        .contains("  replicas: 3\n")
        .contains("        port: http\n")
        .doesNotContain("status");

    String service = encoder.toYaml(decoder.decode(Kinds.SERVICE, SERVICE));
    assertThat(service).contains("  ports:\n"
        + "  - name: http\n"
        + "    protocol: TCP\n"
        + "    port: 80\n"
        + "    targetPort: http\n"
        + "    nodePort: 30007\n"
        + "  clusterIP: 10.96.0.17\n");

    String pod = encoder.toYaml(decoder.decode(Kinds.POD, POD));
    assertThat(pod)
        .contains("  creationTimestamp: \"2026-11-27T09:59:58Z\"\n")
        .contains("  terminationGracePeriodSeconds: 0\n")
        .contains("  podIP: 10.244.1.5\n")
        .contains("    containerID: containerd://4d6b5c1e\n")
        .contains("  startTime: \"2026-11-27T10:00:00Z\"\n")
        .doesNotContain("restartCount");

    String lease = encoder.toYaml(decoder.decode(Kinds.LEASE, LEASE));
    assertThat(lease)
        .contains("  acquireTime: \"2026-11-27T10:00:00.123456Z\"\n")
        .contains("  renewTime: \"2026-11-27T10:00:10.000500Z\"\n")
        .contains("  leaseTransitions: 0\n");

    String node = encoder.toYaml(decoder.decode(Kinds.NODE, NODE));
    assertThat(node)
        .contains("  capacity:\n"
            + "    cpu: \"4\"\n"
            + "    memory: 16331156Ki\n"
            + "    pods: \"110\"\n")
        .contains("    status: \"True\"\n")
        .contains("      Port: 10250\n")
        .contains("  podCIDR: 10.244.1.0/24\n");
  }

  @Test
  void jsonHasKubernetesKeysAndValues() {
    String json = encoder.toCompactJson(decoder.decode(Kinds.SERVICE, SERVICE));
    assertThat(json).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"Service\","
        + "\"metadata\":{\"name\":\"my-service\",\"namespace\":\"development\"},"
        + "\"spec\":{\"type\":\"NodePort\",\"selector\":{\"app.kubernetes.io/name\":\"MyApp\"},"
        + "\"ports\":[{\"name\":\"http\",\"protocol\":\"TCP\",\"port\":80,\"targetPort\":\"http\",\"nodePort\":30007}],"
        + "\"clusterIP\":\"10.96.0.17\"}}");

    String pretty = encoder.toJson(decoder.decode(Kinds.NAMESPACE, NAMESPACE));
    assertThat(pretty).isEqualTo("""
        {
          "apiVersion": "v1",
          "kind": "Namespace",
          "metadata": {
            "name": "development",
            "labels": {
              "name": "development"
            }
          }
        }""");
  }
}
