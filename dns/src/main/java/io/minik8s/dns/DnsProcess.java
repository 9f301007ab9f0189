package io.minik8s.dns;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Service;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.InformerFactory;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.process.ProcessLifecycle;
import io.minik8s.client.server.HealthCheck;
import io.minik8s.client.server.HealthServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS process, wired: API client → Service and Endpoints informers → {@link ClusterZone}; upstream
 * resolvers → {@link UdpUpstream}; both behind a {@link DnsServer}; health and metrics on the health port
 * (ready once the informers have synced). Serving starts only after the sync, so it never answers
 * NXDOMAIN for a Service it has not heard of yet.
 */
public final class DnsProcess {
  private static final Logger log = LoggerFactory.getLogger(DnsProcess.class);

  /**
   * Everything the process is configured with.
   *
   * @param registration the Service to register this server under; null for none
   */
  public record Config(String apiServer, InetSocketAddress listen, String clusterDomain,
      List<InetSocketAddress> upstreams, Duration upstreamTimeout, String healthBindAddress, int healthPort,
      Registration registration) {}

  /** {@link ServiceRegistration.Target} without the port, which is known once the server is bound. */
  public record Registration(String namespace, String name, String clusterIp, String address) {}

  private final ProcessLifecycle lifecycle;
  private final DnsServer server;

  private DnsProcess(ProcessLifecycle lifecycle, DnsServer server) {
    this.lifecycle = lifecycle;
    this.server = server;
  }

  public static DnsProcess start(Config config) throws Exception {
    ProcessLifecycle lifecycle = new ProcessLifecycle("dns", Duration.ofSeconds(10)).installShutdownHook();
    try {
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      HealthServer health = lifecycle.register("health server", new HealthServer(meters));
      ApiClient client = lifecycle.register("api client", ApiClient.connect(config.apiServer()));
      InformerFactory informers = lifecycle.register("informers", InformerFactory.forClient(client));
      Informer<Service> services = informers.informer(Kinds.SERVICE);
      Informer<Endpoints> endpoints = informers.informer(Kinds.ENDPOINTS);
      health.addReadinessCheck("informers", HealthCheck.of(informers::hasSynced, "informers have not synced yet"));
      health.start(config.healthBindAddress(), config.healthPort());
      informers.startAll();
      while (!informers.awaitSynced(Duration.ofSeconds(10))) {
        log.warn("still waiting for the Service and Endpoints informers to sync from {}", config.apiServer());
      }
      EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("dns-io", true),
          NioIoHandler.newFactory());
      lifecycle.register("event loops", () -> group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS)
          .syncUninterruptibly());
      UdpUpstream upstream = lifecycle.register("upstream", new UdpUpstream(group, config.upstreams(),
          config.upstreamTimeout()));
      ClusterZone zone = new ClusterZone(config.clusterDomain(), services.lister(), endpoints.lister());
      DnsServer server = lifecycle.register("dns server",
          new DnsServer(group, config.listen(), new DnsQueryHandler(zone, upstream, new DnsMetrics(meters))));
      log.info("dns serving {} on {} (udp+tcp, port {}), forwarding to {}, health on {}", zone.domain(),
          config.listen(), server.port(), config.upstreams(), health.port());
      Registration r = config.registration();
      if (r != null) {
        // Registered last, so it is closed first: our address leaves the Endpoints while we still answer.
        ServiceRegistration registration = lifecycle.register("service registration", new ServiceRegistration(client,
            new ServiceRegistration.Target(r.namespace(), r.name(), r.clusterIp(), r.address(), server.port())));
        services.addEventHandler(ResourceEventHandler.onChange(s ->
            registration.onService(s.getMetadata().getNamespace(), s.getMetadata().getName(),
                services.lister().get(s.getMetadata().getNamespace(), s.getMetadata().getName()).orElse(null))));
        endpoints.addEventHandler(ResourceEventHandler.onChange(e ->
            registration.onEndpoints(e.getMetadata().getNamespace(), e.getMetadata().getName(),
                endpoints.lister().get(e.getMetadata().getNamespace(), e.getMetadata().getName()).orElse(null))));
        registration.start();
      }
      return new DnsProcess(lifecycle, server);
    } catch (Exception | Error e) {
      lifecycle.shutdown("start-up failed");
      throw e;
    }
  }

  public ProcessLifecycle lifecycle() {
    return lifecycle;
  }

  public int port() {
    return server.port();
  }
}
