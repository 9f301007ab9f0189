package io.minik8s.e2e;

import static io.minik8s.e2e.HostNetwork.httpGet;
import static io.minik8s.e2e.HostNetwork.iptablesSave;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.LoadBalancerIngress;
import io.minik8s.api.Endpoints;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.Kinds;
import io.minik8s.cri.v1.ExecSyncRequest;
import io.minik8s.cri.v1.ExecSyncResponse;
import io.minik8s.cri.v1.RuntimeServiceGrpc;
import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.FreePorts;
import io.minik8s.testkit.ProcessRunner;
import io.minik8s.testkit.containerd.ContainerdProcess;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Services issue end to end, as deploy/up.sh runs it: real etcd, API server, scheduler,
 * controller-manager, kubelet (on a private containerd with CNI), kube-proxy (programming the host's
 * real iptables) and the cluster DNS (registered as {@code kube-system/kube-dns} at 10.96.0.10, which
 * the kubelet gives pods as their nameserver), all separate processes. Runs as root. Traffic goes only
 * to the node's own address, the pod bridge and the ClusterIP range.
 *
 * <p>The web pods serve their own name (so the test sees which one answered), {@code /ready} for the
 * readiness probe and {@code /live} for the liveness probe; the test flips those through CRI exec.
 * Teardown runs {@code kube-proxy --cleanup} and checks that no MINIK8S chain is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServicesE2ETest {
  static final String NS = "shop";
  static final String NODE = "node-1";
  static final String DNS_IP = "10.96.0.10";
  /** LoadBalancer addresses: a test-only range, two addresses, of which web-lb gets the lowest. */
  static final String LB_POOL = "10.245.255.1-10.245.255.2";
  static final String LB_FIRST_IP = "10.245.255.1";
  static final Duration WAIT = Duration.ofSeconds(60);
  /** How long kube-proxy may take to follow a change of the Endpoints (its min sync period is 1 s). */
  static final Duration RULES_FOLLOW = Duration.ofSeconds(5);
  static final String MANIFEST = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
      spec:
        replicas: 3
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - name: httpd
              image: localhost/busybox:latest
              imagePullPolicy: IfNotPresent
              command: ["sh", "-c", "mkdir -p /srv && hostname > /srv/index.html && echo ok > /srv/ready && echo ok > /srv/live && exec httpd -f -p 8080 -h /srv"]
              ports:
              - name: http
                containerPort: 8080
              readinessProbe:
                httpGet:
                  path: /ready
                  port: http
                periodSeconds: 1
                failureThreshold: 1
              livenessProbe:
                httpGet:
                  path: /live
                  port: http
                periodSeconds: 1
                failureThreshold: 2
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: shop
      spec:
        type: NodePort
        selector:
          app: web
        ports:
        - name: http
          port: 80
          targetPort: http
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web-lb
        namespace: shop
      spec:
        type: LoadBalancer
        selector:
          app: web
        ports:
        - name: http
          port: 80
          targetPort: http
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: docs
        namespace: shop
      spec:
        type: ExternalName
        externalName: docs.example.org
      ---
      apiVersion: v1
      kind: Pod
      metadata:
        name: client
        namespace: shop
      spec:
        terminationGracePeriodSeconds: 1
        containers:
        - name: client
          image: localhost/busybox:latest
          imagePullPolicy: IfNotPresent
          command: ["sleep", "3600"]
      """;

  private static ContainerdProcess containerd;
  private static Cluster cluster;
  private static ApiClient client;
  private static ProcessRunner kubeProxy;
  private static ProcessRunner dns;
  private static int kubeProxyHealth;
  private static int dnsHealth;
  private static int dnsPort;
  private static String nodeIp;
  private static EventLoopGroup criGroup;
  private static ManagedChannel criChannel;

  @BeforeAll
  static void start() throws Exception {
    containerd = ContainerdProcess.start();
    // Whatever an earlier run left behind would make the teardown's check meaningless.
    assertThat(iptablesSave()).as("MINIK8S rules before the test").doesNotContain("MINIK8S");
    cluster = Cluster.startControlPlane();
    client = cluster.client();
    List<Integer> ports = FreePorts.take(7);
    ProcessRunner scheduler = cluster.startComponent("scheduler", "scheduler", "--apiserver", cluster.server(),
        "--health-port", Integer.toString(ports.get(0)), "--health-bind-address", "127.0.0.1");
    ProcessRunner controllerManager = cluster.startComponent("controller-manager", "controller-manager",
        "--apiserver", cluster.server(), "--health-port", Integer.toString(ports.get(1)),
        "--health-bind-address", "127.0.0.1", "--load-balancer-ip-pool", LB_POOL);
    int kubeletHealth = ports.get(2);
    ProcessRunner kubelet = cluster.startComponent("kubelet", "kubelet", "--apiserver", cluster.server(),
        "--node-name", NODE, "--container-runtime-endpoint", containerd.endpoint(), "--pod-cidr", containerd.subnet(),
        "--health-port", Integer.toString(kubeletHealth), "--health-bind-address", "127.0.0.1",
        "--log-port", Integer.toString(ports.get(3)), "--address", "127.0.0.1", "--restart-backoff-base", "1s",
        "--cluster-dns", DNS_IP, "--pod-log-dir", containerd.directory().resolve("pod-logs").toString());
    kubeProxyHealth = ports.get(4);
    kubeProxy = cluster.startComponent("kube-proxy", "kube-proxy", "--apiserver", cluster.server(),
        "--node-name", NODE, "--cluster-cidr", containerd.subnet(),
        "--health-port", Integer.toString(kubeProxyHealth), "--health-bind-address", "127.0.0.1");
    scheduler.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(0) + "/readyz"), WAIT);
    controllerManager.awaitHttpOk(URI.create("http://127.0.0.1:" + ports.get(1) + "/healthz"), WAIT);
    kubelet.awaitHttpOk(URI.create("http://127.0.0.1:" + kubeletHealth + "/readyz"), WAIT);
    // The DNS server advertises the node's own address (the kubelet's InternalIP): pods reach it there
    // through the DNAT of 10.96.0.10, on a port of its own (53 may be taken on the test host).
    nodeIp = await().atMost(WAIT).until(() -> client.find(Kinds.NODE, "", NODE).flatMap(n ->
        n.getStatus().getAddressesList().stream().filter(a -> a.getType().equals("InternalIP"))
            .map(NodeAddress::getAddress).findFirst()).orElse(""), ip -> !ip.isEmpty());
    assertThat(nodeIp).as("the node's address must not be loopback: pods cannot be DNATed there")
        .doesNotStartWith("127.");
    dnsHealth = ports.get(5);
    dnsPort = ports.get(6);
    dns = cluster.startComponent("dns", "dns", "--apiserver", cluster.server(),
        "--service", "kube-system/kube-dns", "--service-ip", DNS_IP, "--advertise-address", nodeIp,
        "--listen", nodeIp + ":" + dnsPort, "--upstream", "127.0.0.1:" + FreePorts.one(), "--upstream-timeout", "1s",
        "--health-port", Integer.toString(dnsHealth), "--health-bind-address", "127.0.0.1");
    dns.awaitHttpOk(URI.create("http://127.0.0.1:" + dnsHealth + "/readyz"), WAIT);
    kubeProxy.awaitHttpOk(URI.create("http://127.0.0.1:" + kubeProxyHealth + "/readyz"), WAIT);
    // Pods must find the DNS rules in place from their first query on: a UDP query sent before would
    // leave a conntrack entry without DNAT.
    await().atMost(WAIT).until(() -> iptablesSave("nat").contains("--to-destination " + nodeIp + ":" + dnsPort));

    criGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("e2e-cri", true), EpollIoHandler.newFactory());
    criChannel = NettyChannelBuilder.forAddress(new DomainSocketAddress(containerd.socketPath())).eventLoopGroup(criGroup)
        .channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class).overrideAuthority("localhost")
        .usePlaintext().build();

    Cluster.Result applied = cluster.mkctlWithInput(MANIFEST, "apply", "-f", "-");
    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(endpointIps()).hasSize(3));
    await().atMost(WAIT).until(() -> podRunning("client"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (kubeProxy != null) {
        kubeProxy.stop(Duration.ofSeconds(15));
      }
      if (criChannel != null) {
        criChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        criGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      // The rules go last, once no pod is left to send to a ClusterIP (without them, such a packet
      // would leave through the default route).
      try {
        if (containerd != null) {
          containerd.close();
        }
      } finally {
        if (kubeProxy != null) {
          HostNetwork.cleanUpKubeProxy();
        }
      }
    }
  }

  @Test
  @Order(1)
  void theDnsServerRegistersItselfAtItsFixedClusterIp() {
    Service svc = client.get(Kinds.SERVICE, "kube-system", "kube-dns");
    assertThat(svc.getSpec().getClusterIp()).isEqualTo(DNS_IP);
    assertThat(svc.getSpec().getSelectorMap()).isEmpty();
    assertThat(svc.getSpec().getPortsList()).extracting(ServicePort::getName, ServicePort::getProtocol,
            ServicePort::getPort, p -> p.getTargetPort().getIntVal())
        .containsExactly(tuple("dns", "UDP", 53, dnsPort),
            tuple("dns-tcp", "TCP", 53, dnsPort));
    Endpoints eps = client.get(Kinds.ENDPOINTS, "kube-system", "kube-dns");
    assertThat(eps.getSubsetsList()).flatExtracting(EndpointSubset::getAddressesList)
        .extracting(EndpointAddress::getIp).containsExactly(nodeIp);
    Cluster.Result svcs = cluster.mkctl("get", "svc", "-A");
    assertThat(svcs.stdout()).contains("kube-dns").contains(DNS_IP).contains("docs.example.org");
  }

  @Test
  @Order(2)
  void aPodReachesTheServiceByItsNameThroughTheClusterDns() {
    Set<String> backends = readyWebPodNames();
    String byFqdn = await().atMost(WAIT).until(() -> exec("client", "client",
        "timeout", "10", "wget", "-qO-", "http://web." + NS + ".svc.cluster.local/"), r -> r.getExitCode() == 0)
        .getStdout().toStringUtf8().strip();
    assertThat(backends).contains(byFqdn);
    // The search path of the pod's resolv.conf (shop.svc.cluster.local first) makes the short name work too.
    ExecSyncResponse byShortName = exec("client", "client", "timeout", "10", "wget", "-qO-", "http://web/");
    assertThat(byShortName.getExitCode()).as(byShortName.getStderr().toStringUtf8()).isZero();
    assertThat(backends).contains(byShortName.getStdout().toStringUtf8().strip());
    ExecSyncResponse resolvConf = exec("client", "client", "cat", "/etc/resolv.conf");
    assertThat(resolvConf.getStdout().toStringUtf8()).contains("nameserver " + DNS_IP)
        .contains("search shop.svc.cluster.local svc.cluster.local cluster.local");
  }

  @Test
  @Order(3)
  void aPodReachesItselfThroughItsServiceHairpin() {
    String self = readyWebPods().get(0).getMetadata().getName();
    // One try in three lands on the pod itself: keep asking until one does. Without hairpin mode on the
    // bridge and the masquerade of the endpoint's own traffic, those tries time out instead.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      ExecSyncResponse r = exec(self, "httpd", "timeout", "5", "wget", "-qO-", "http://web/");
      assertThat(r.getExitCode()).as(r.getStderr().toStringUtf8()).isZero();
      assertThat(r.getStdout().toStringUtf8().strip()).isEqualTo(self);
    });
  }

  @Test
  @Order(4)
  void requestsToTheClusterIpFromTheHostSpreadOverEveryEndpoint() {
    String clusterIp = webService().getSpec().getClusterIp();
    Set<String> backends = readyWebPodNames();
    assertThat(backends).hasSize(3);
    Set<String> seen = new TreeSet<>();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      seen.add(httpGet(clusterIp, 80));
      assertThat(seen).isEqualTo(backends);
    });
  }

  @Test
  @Order(5)
  void theNodePortAnswersOnTheNodeAddress() throws Exception {
    int nodePort = webService().getSpec().getPorts(0).getNodePort();
    assertThat(nodePort).isBetween(30000, 32767);
    assertThat(readyWebPodNames()).contains(httpGet(nodeIp, nodePort));
  }

  @Test
  @Order(5)
  void aLoadBalancerServiceGetsAnAddressFromThePoolThatAnswersOnTheNode() throws Exception {
    String ip = await().atMost(WAIT).until(() -> client.get(Kinds.SERVICE, NS, "web-lb").getStatus()
        .getLoadBalancer().getIngressList().stream().map(LoadBalancerIngress::getIp).findFirst().orElse(""),
        a -> !a.isEmpty());
    assertThat(ip).isEqualTo(LB_FIRST_IP);
    // kube-proxy holds the address on its link, so the node answers ARP for it, and DNATs it to the pods.
    await().atMost(WAIT).until(() -> Files.readString(Path.of("/proc/net/fib_trie")).contains(ip));
    Set<String> backends = readyWebPodNames();
    Set<String> seen = new TreeSet<>();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      seen.add(httpGet(ip, 80));
      assertThat(seen).isEqualTo(backends);
    });
  }

  @Test
  @Order(6)
  void anExternalNameServiceResolvesAsACname() throws Exception {
    // Straight to the DNS process, and through its ClusterIP from the host (as README's nslookup does).
    for (String server : List.of(nodeIp + ":" + dnsPort, DNS_IP + ":53")) {
      Hashtable<String, String> env = new Hashtable<>();
      env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
      env.put("java.naming.provider.url", "dns://" + server);
      env.put("com.sun.jndi.dns.timeout.initial", "2000");
      env.put("com.sun.jndi.dns.timeout.retries", "2");
      InitialDirContext ctx = new InitialDirContext(env);
      try {
        Attribute cname = ctx.getAttributes("docs." + NS + ".svc.cluster.local", new String[] {"CNAME"}).get("CNAME");
        assertThat(cname).as(server).isNotNull();
        assertThat(cname.get().toString()).as(server).isIn("docs.example.org", "docs.example.org.");
        Attribute a = ctx.getAttributes("web." + NS + ".svc.cluster.local", new String[] {"A"}).get("A");
        assertThat(a.get().toString()).as(server).isEqualTo(webService().getSpec().getClusterIp());
      } finally {
        ctx.close();
      }
    }
  }

  @Test
  @Order(7)
  void aPodFailingItsReadinessProbeGetsNoTrafficUntilItPassesAgain() {
    String clusterIp = webService().getSpec().getClusterIp();
    Pod victim = readyWebPods().get(0);
    String name = victim.getMetadata().getName();
    String ip = victim.getStatus().getPodIp();

    assertThat(exec(name, "httpd", "rm", "/srv/ready").getExitCode()).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(endpointIps()).hasSize(2).doesNotContain(ip));
    await().atMost(RULES_FOLLOW).until(() -> !iptablesSave("nat").contains("--to-destination " + ip + ":"));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      seen.add(httpGet(clusterIp, 80));
    }
    assertThat(seen).hasSize(2).doesNotContain(name);

    assertThat(exec(name, "httpd", "sh", "-c", "echo ok > /srv/ready").getExitCode()).isZero();
    await().atMost(WAIT).untilAsserted(() -> assertThat(endpointIps()).hasSize(3).contains(ip));
    await().atMost(Duration.ofSeconds(30)).until(() -> httpGet(clusterIp, 80).equals(name));
  }

  @Test
  @Order(8)
  void aFailingLivenessProbeRestartsTheContainer() {
    Pod victim = readyWebPods().get(1);
    String name = victim.getMetadata().getName();
    String containerId = victim.getStatus().getContainerStatuses(0).getContainerId();
    assertThat(victim.getStatus().getContainerStatuses(0).getRestartCount()).isZero();

    assertThat(exec(name, "httpd", "rm", "/srv/live").getExitCode()).isZero();

    Pod restarted = await().atMost(WAIT).until(() -> client.get(Kinds.POD, NS, name),
        p -> p.getStatus().getContainerStatuses(0).getRestartCount() >= 1);
    assertThat(restarted.getStatus().getContainerStatuses(0).getContainerId()).isNotEqualTo(containerId);
    // The new container starts with the image's files again: it is live and becomes ready.
    await().atMost(WAIT).untilAsserted(() -> assertThat(readyWebPodNames()).contains(name));
    await().atMost(WAIT).untilAsserted(() -> assertThat(endpointIps()).hasSize(3));
  }

  @Test
  @Order(9)
  void scalingTheDeploymentChangesTheRulesWithinSeconds() {
    scale(4);
    await().atMost(WAIT).untilAsserted(() -> assertThat(endpointIps()).hasSize(4));
    await().atMost(RULES_FOLLOW).until(() -> webRuleTargets().equals(endpointIps()));

    scale(2);
    await().atMost(WAIT).untilAsserted(() -> assertThat(endpointIps()).hasSize(2));
    await().atMost(RULES_FOLLOW).until(() -> webRuleTargets().equals(endpointIps()));
    String clusterIp = webService().getSpec().getClusterIp();
    Set<String> backends = readyWebPodNames();
    Set<String> seen = new TreeSet<>();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      seen.add(httpGet(clusterIp, 80));
      assertThat(seen).isEqualTo(backends);
    });
  }

  @Test
  @Order(10)
  void aKilledKubeProxyLeavesItsRulesAndAdoptsThemWhenItComesBack() {
    String clusterIp = webService().getSpec().getClusterIp();
    String before = iptablesSave("nat");
    Set<String> targets = webRuleTargets();

    kubeProxy.kill();
    // The rules stay, so traffic keeps flowing while kube-proxy is down.
    assertThat(webRuleTargets()).isEqualTo(targets);
    for (int i = 0; i < 5; i++) {
      assertThat(readyWebPodNames()).contains(httpGet(clusterIp, 80));
    }
    // A change while it is down is picked up when it is back (level-based).
    scale(3);
    await().atMost(WAIT).untilAsserted(() -> assertThat(endpointIps()).hasSize(3));
    assertThat(webRuleTargets()).isEqualTo(targets);

    kubeProxy.start();
    kubeProxy.awaitHttpOk(URI.create("http://127.0.0.1:" + kubeProxyHealth + "/readyz"), WAIT);
    await().atMost(RULES_FOLLOW).until(() -> webRuleTargets().equals(endpointIps()));
    String after = iptablesSave("nat");
    // Adopted, not duplicated: one jump per built-in chain, as before.
    for (String chain : List.of("PREROUTING", "OUTPUT", "POSTROUTING")) {
      assertThat(count(after, "-A " + chain + " .*-j MINIK8S-.*")).as(chain).isEqualTo(1)
          .isEqualTo(count(before, "-A " + chain + " .*-j MINIK8S-.*"));
    }
    Set<String> backends = readyWebPodNames();
    Set<String> seen = new TreeSet<>();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      seen.add(httpGet(clusterIp, 80));
      assertThat(seen).isEqualTo(backends);
    });
  }

  @Test
  @Order(11)
  void theDnsServerTakesItsAddressOutOfTheEndpointsWhenItStopsAndBackWhenItStarts() {
    dns.stop(Duration.ofSeconds(15));
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.get(Kinds.ENDPOINTS, "kube-system", "kube-dns")
        .getSubsetsList()).flatExtracting(EndpointSubset::getAddressesList).isEmpty());
    await().atMost(RULES_FOLLOW).until(() -> !iptablesSave("nat").contains("--to-destination " + nodeIp + ":" + dnsPort));

    dns.start();
    dns.awaitHttpOk(URI.create("http://127.0.0.1:" + dnsHealth + "/readyz"), WAIT);
    await().atMost(WAIT).untilAsserted(() -> assertThat(client.get(Kinds.ENDPOINTS, "kube-system", "kube-dns")
        .getSubsetsList()).flatExtracting(EndpointSubset::getAddressesList).extracting(EndpointAddress::getIp)
        .containsExactly(nodeIp));
    await().atMost(RULES_FOLLOW).until(() -> iptablesSave("nat").contains("--to-destination " + nodeIp + ":" + dnsPort));
    ExecSyncResponse r = await().atMost(WAIT).until(() -> exec("client", "client",
        "timeout", "10", "wget", "-qO-", "http://web/"), x -> x.getExitCode() == 0);
    assertThat(readyWebPodNames()).contains(r.getStdout().toStringUtf8().strip());
  }

  // ---- helpers ----

  static Service webService() {
    return client.get(Kinds.SERVICE, NS, "web");
  }

  static void scale(int replicas) {
    Cluster.Result r = cluster.mkctl("scale", "deployment/web", "-n", NS, "--replicas", Integer.toString(replicas));
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  static boolean podRunning(String name) {
    return client.find(Kinds.POD, NS, name).map(p -> p.getStatus().getPhase().equals("Running")).orElse(false);
  }

  static List<Pod> readyWebPods() {
    return client.list(Kinds.POD, ListOptions.inNamespace(NS).withLabelSelector("app=web")).items().stream()
        .filter(p -> !p.getMetadata().hasDeletionTimestamp())
        .filter(p -> p.getStatus().getConditionsList().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  static Set<String> readyWebPodNames() {
    return readyWebPods().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The ready addresses of the web Service's Endpoints. */
  static Set<String> endpointIps() {
    return client.find(Kinds.ENDPOINTS, NS, "web").map(e -> e.getSubsetsList().stream()
            .flatMap(s -> s.getAddressesList().stream()).map(EndpointAddress::getIp)
            .collect(Collectors.toCollection(TreeSet::new)))
        .orElse(new TreeSet<>());
  }

  /** The pod IPs kube-proxy's rules DNAT the web Service to, as iptables itself lists them. */
  static Set<String> webRuleTargets() {
    Set<String> ips = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^-A MINIK8S-SEP-\\S+ .*shop/web:http.*--to-destination ([0-9.]+):8080$")
        .matcher(iptablesSave("nat"));
    while (m.find()) {
      ips.add(m.group(1));
    }
    return ips;
  }

  static int count(String text, String regex) {
    return (int) text.lines().filter(l -> l.matches(regex)).count();
  }

  static ExecSyncResponse exec(String pod, String container, String... command) {
    Pod p = client.get(Kinds.POD, NS, pod);
    String id = p.getStatus().getContainerStatusesList().stream().filter(s -> s.getName().equals(container))
        .findFirst().orElseThrow().getContainerId().replaceFirst("^containerd://", "");
    return RuntimeServiceGrpc.newBlockingStub(criChannel).withDeadlineAfter(20, TimeUnit.SECONDS)
        .execSync(ExecSyncRequest.newBuilder().setContainerId(id).addAllCmd(List.of(command)).setTimeout(15).build());
  }
}
