package io.minik8s.apiserver;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minik8s.api.VersionInfo;
import io.minik8s.apiserver.grpc.ApiService;
import io.minik8s.apiserver.grpc.MetricsInterceptor;
import io.minik8s.apiserver.kubelet.PodExecProxy;
import io.minik8s.apiserver.kubelet.PodLogProxy;
import io.minik8s.apiserver.registry.CachedObjects;
import io.minik8s.apiserver.registry.Registries;
import io.minik8s.apiserver.registry.core.KubernetesService;
import io.minik8s.apiserver.registry.core.NamespaceFinalizer;
import io.minik8s.apiserver.registry.core.allocation.AllocationRepair;
import io.minik8s.apiserver.registry.core.allocation.Ipv4Range;
import io.minik8s.apiserver.registry.core.allocation.PortRange;
import io.minik8s.apiserver.registry.core.allocation.ServiceAllocator;
import io.minik8s.apiserver.rest.RestServer;
import io.minik8s.apiserver.service.ApiOperations;
import io.minik8s.apiserver.storage.EtcdStorage;
import io.minik8s.apiserver.watch.WatchHub;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.process.ProcessLifecycle;
import io.minik8s.client.server.HealthCheck;
import io.minik8s.client.server.HealthServer;
import io.minik8s.client.server.JvmMetrics;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server process, wired: etcd storage → registries → watch caches → gRPC service, plus the
 * health endpoint. {@link #start} returns once it serves; {@link #lifecycle()} stops it in reverse order.
 */
public final class ApiServer {
  public static final String VERSION = "v0.1.0";
  /**
   * What the REST API's {@code /version} reports: the Kubernetes API level it speaks (1.32, kubectl's own,
   * so that kubectl sees no version skew), with minik8s' version as build metadata.
   */
  public static final String REST_GIT_VERSION = "v1.32.0+minik8s-" + VERSION;
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /**
   * Everything the process is configured with.
   *
   * @param rest Kubernetes' REST API (for kubectl), or null for none
   */
  public record Config(String etcdServers, String bindAddress, int port, Duration etcdTimeout,
      Duration bookmarkInterval, String healthBindAddress, int healthPort, String serviceClusterIpRange,
      String serviceNodePortRange, String advertiseAddress, Duration allocationRepairInterval,
      RestServer.Config rest) {

    /**
     * With the default service ranges, the first non-loopback IPv4 address advertised, repair every 3 minutes,
     * no REST API.
     */
    public Config(String etcdServers, String bindAddress, int port, Duration etcdTimeout, Duration bookmarkInterval,
        String healthBindAddress, int healthPort) {
      this(etcdServers, bindAddress, port, etcdTimeout, bookmarkInterval, healthBindAddress, healthPort,
          DEFAULT_SERVICE_CLUSTER_IP_RANGE, DEFAULT_SERVICE_NODE_PORT_RANGE, "", Duration.ofMinutes(3), null);
    }

    public Config withServiceRanges(String clusterIpRange, String nodePortRange) {
      return new Config(etcdServers, bindAddress, port, etcdTimeout, bookmarkInterval, healthBindAddress, healthPort,
          clusterIpRange, nodePortRange, advertiseAddress, allocationRepairInterval, rest);
    }

    /** The same, also serving the REST API ({@code rest.port()} 0: an ephemeral port). */
    public Config withRest(RestServer.Config restConfig) {
      return new Config(etcdServers, bindAddress, port, etcdTimeout, bookmarkInterval, healthBindAddress, healthPort,
          serviceClusterIpRange, serviceNodePortRange, advertiseAddress, allocationRepairInterval, restConfig);
    }
  }

  public static final String DEFAULT_SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/12";
  public static final String DEFAULT_SERVICE_NODE_PORT_RANGE = "30000-32767";

  private final ProcessLifecycle lifecycle;
  private final Server grpc;
  private final HealthServer health;
  private final RestServer rest;

  private ApiServer(ProcessLifecycle lifecycle, Server grpc, HealthServer health, RestServer rest) {
    this.lifecycle = lifecycle;
    this.grpc = grpc;
    this.health = health;
    this.rest = rest;
  }

  public static ApiServer start(Config config) throws Exception {
    ProcessLifecycle lifecycle = new ProcessLifecycle("apiserver", Duration.ofSeconds(20));
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Ready only once every port a client may use (gRPC, REST) is bound: the health port opens first, the others after bootstrap.
    AtomicBoolean serving = new AtomicBoolean();
    lifecycle.register("jvm metrics", JvmMetrics.bindTo(meters));

    EtcdStorage storage = lifecycle.register("etcd client",
        EtcdStorage.connect(config.etcdServers(), meters, config.etcdTimeout()));
    ServiceAllocator serviceAllocator = new ServiceAllocator(storage, Ipv4Range.parse(config.serviceClusterIpRange()),
        PortRange.parse(config.serviceNodePortRange()));
    WatchHub watches = lifecycle.register("watch caches", new WatchHub(storage, meters, config.bookmarkInterval()));
    Registries registries = new Registries(storage, Clock.systemUTC(), serviceAllocator,
        name -> watches.cached(Kinds.NAMESPACE, "", name),
        (kind, key) -> watches.cachedAt(kind, key).map(v -> new CachedObjects.Cached(v.object(), v.revision())));
    NamespaceFinalizer namespaceFinalizer = lifecycle.register("namespace finalizer", new NamespaceFinalizer(registries));
    Gauge.builder("apiserver_registered_watchers", watches, WatchHub::watcherCount)
        .description("Watch streams being served").register(meters);

    HealthServer health = new HealthServer(meters)
        .addReadinessCheck("etcd", HealthCheck.of(storage::isHealthy, "etcd is not reachable"))
        .addReadinessCheck("watch-cache", HealthCheck.of(watches::isReady, "watch caches are loading"))
        .addReadinessCheck("serving", HealthCheck.of(serving::get, "the API servers are starting"));
    lifecycle.register("health server", health);
    health.start(config.healthBindAddress(), config.healthPort());

    bootstrap(registries, watches);
    namespaceFinalizer.trigger();

    VersionInfo version = VersionInfo.newBuilder().setGitVersion(VERSION)
        .setPlatform(System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"))
        .setJavaVersion(System.getProperty("java.version")).build();
    PodLogProxy logs = lifecycle.register("pod log proxy", new PodLogProxy(registries));
    ApiOperations operations = new ApiOperations(registries, watches, namespaceFinalizer);
    ApiService service = new ApiService(operations, watches, version, logs);
    Server grpc = NettyServerBuilder.forAddress(new InetSocketAddress(config.bindAddress(), config.port()))
        .addService(ServerInterceptors.intercept(service.definition(), new MetricsInterceptor(meters)))
        .maxInboundMessageSize(16 * 1024 * 1024)
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .build()
        .start();
    lifecycle.register("grpc server", () -> {
      grpc.shutdown();
      if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
        grpc.shutdownNow();
      }
    });
    String advertise = config.advertiseAddress().isEmpty() ? AdvertiseAddress.firstNonLoopbackIpv4()
        : config.advertiseAddress();
    new KubernetesService(registries.of(Kinds.SERVICE), registries.of(Kinds.ENDPOINTS))
        .ensure(serviceAllocator.ipRange().address(0), advertise, grpc.getPort());
    lifecycle.register("allocation repair", new AllocationRepair(storage, serviceAllocator)
        .start(config.allocationRepairInterval()));
    RestServer rest = null;
    if (config.rest() != null) {
      rest = startRest(config.rest(), operations, logs, meters, lifecycle);
    }
    serving.set(true);
    log.info("apiserver serving gRPC on {}:{}, REST on {}, health on {}:{}, etcd {}", config.bindAddress(),
        grpc.getPort(), rest == null ? "no port" : config.rest().bindAddress() + ":" + rest.port(),
        config.healthBindAddress(), health.port(), config.etcdServers());
    return new ApiServer(lifecycle, grpc, health, rest);
  }

  /** The REST server, or null when its default port is taken (see {@link RestServer.Config#portRequired}). */
  private static RestServer startRest(RestServer.Config config, ApiOperations operations, PodLogProxy logs,
      PrometheusMeterRegistry meters, ProcessLifecycle lifecycle) throws Exception {
    try {
      return lifecycle.register("rest server", RestServer.start(config, operations, logs,
          new PodExecProxy(operations.registries()), Clock.systemUTC(), meters));
    } catch (Exception e) {
      if (config.portRequired() || !(e instanceof java.net.BindException)) {
        throw e;
      }
      log.warn("the REST API is not served: {}:{} is taken ({}); give this API server its own --http-port",
          config.bindAddress(), config.port(), e.getMessage());
      return null;
    }
  }

  /**
   * Waits for etcd (retrying with back-off, so the API server may start before etcd), creates the system
   * namespaces, and starts the watch caches.
   */
  private static void bootstrap(Registries registries, WatchHub watches) throws InterruptedException {
    long delayMillis = 200;
    while (true) {
      try {
        registries.ensureSystemNamespaces();
        break;
      } catch (ApiException e) {
        if (!e.isUnavailable()) {
          throw e;
        }
        log.warn("etcd is not reachable yet, retrying in {} ms: {}", delayMillis, e.getMessage());
        Thread.sleep(delayMillis);
        delayMillis = Math.min(delayMillis * 2, 5_000);
      }
    }
    watches.start();
  }

  public ProcessLifecycle lifecycle() {
    return lifecycle;
  }

  public int port() {
    return grpc.getPort();
  }

  public int healthPort() {
    return health.port();
  }

  /** The REST API's port; IllegalStateException when it is not served. */
  public int restPort() {
    if (rest == null) {
      throw new IllegalStateException("the REST API is not served");
    }
    return rest.port();
  }
}
