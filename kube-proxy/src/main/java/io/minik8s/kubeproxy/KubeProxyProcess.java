package io.minik8s.kubeproxy;

import com.google.protobuf.Message;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.InformerFactory;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.process.ProcessLifecycle;
import io.minik8s.client.server.HealthCheck;
import io.minik8s.client.server.HealthServer;
import io.minik8s.kubeproxy.iptables.IptablesRunner;
import io.minik8s.kubeproxy.loadbalancer.LinkAddresses;
import io.minik8s.kubeproxy.loadbalancer.LoadBalancerAddressBinder;
import io.minik8s.kubeproxy.rules.ProxyConfig;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kube-proxy process, wired: API client → Service, Endpoints and Node informers → {@link Proxier}
 * → iptables. The health server serves {@code /readyz} (ready once the informers synced and a sync
 * succeeded within two sync periods) and {@code /metrics}.
 */
public final class KubeProxyProcess {
  private static final Logger log = LoggerFactory.getLogger(KubeProxyProcess.class);

  /** Everything the process is configured with. */
  public record Config(String apiServer, String nodeName, String clusterCidr, Duration minSyncPeriod,
      Duration syncPeriod, String healthBindAddress, int healthPort) {}

  private final ProcessLifecycle lifecycle;
  private final HealthServer health;
  private final Proxier proxier;

  private KubeProxyProcess(ProcessLifecycle lifecycle, HealthServer health, Proxier proxier) {
    this.lifecycle = lifecycle;
    this.health = health;
    this.proxier = proxier;
  }

  /** Starts everything and returns once the informers synced and the sync loop runs. */
  public static KubeProxyProcess start(Config config, IptablesRunner iptables) throws Exception {
    return start(config, iptables, null);
  }

  /**
   * {@link #start(Config, IptablesRunner)}, and when {@code loadBalancerLink} is not null, the Services'
   * load-balancer IPs are bound on that link ({@link LoadBalancerAddressBinder}).
   */
  public static KubeProxyProcess start(Config config, IptablesRunner iptables, LinkAddresses loadBalancerLink)
      throws Exception {
    ProcessLifecycle lifecycle = new ProcessLifecycle("kube-proxy", Duration.ofSeconds(15)).installShutdownHook();
    try {
      return wire(config, iptables, loadBalancerLink, lifecycle);
    } catch (Exception | Error e) {
      lifecycle.shutdown("start-up failed");
      throw e;
    }
  }

  private static KubeProxyProcess wire(Config config, IptablesRunner iptables, LinkAddresses loadBalancerLink,
      ProcessLifecycle lifecycle) throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    HealthServer health = lifecycle.register("health server", new HealthServer(meters));
    ApiClient client = lifecycle.register("api client", ApiClient.connect(config.apiServer()));
    Proxier proxier = new Proxier(iptables, ProxyConfig.of(config.clusterCidr()), config.nodeName(),
        config.minSyncPeriod(), config.syncPeriod(), meters);

    InformerFactory informers = lifecycle.register("informers", InformerFactory.forClient(client));
    Informer<Service> services = informers.informer(Kinds.SERVICE);
    Informer<Endpoints> endpoints = informers.informer(Kinds.ENDPOINTS);
    Informer<Node> nodes = informers.informer(Kinds.NODE);
    services.addEventHandler(handler(Service::getMetadata, proxier::onService));
    endpoints.addEventHandler(handler(Endpoints::getMetadata, proxier::onEndpoints));
    nodes.addEventHandler(handler(Node::getMetadata, (key, node) -> proxier.onNode(node)));
    LoadBalancerAddressBinder binder = loadBalancerLink == null ? null
        : new LoadBalancerAddressBinder(loadBalancerLink, config.minSyncPeriod(), config.syncPeriod());
    if (binder != null) {
      services.addEventHandler(handler(Service::getMetadata, binder::onService));
    }

    health.addReadinessCheck("informers", HealthCheck.of(informers::hasSynced, "informers have not synced yet"));
    health.addReadinessCheck("sync", HealthCheck.of(proxier::isHealthy, "no recent successful sync of the rules"));
    health.start(config.healthBindAddress(), config.healthPort());

    informers.startAll();
    while (!informers.awaitSynced(Duration.ofSeconds(10))) {
      if (lifecycle.isShuttingDown()) {
        throw new IllegalStateException("shut down before the informers synced");
      }
      log.atWarn().addKeyValue("apiserver", config.apiServer()).log("still waiting for informers to sync");
    }
    // Start syncing only with a complete picture: a partial one would delete rules of live services.
    lifecycle.register("proxier", proxier);
    proxier.start();
    if (binder != null) {
      lifecycle.register("load-balancer address binder", binder);
      binder.start();
    }
    log.atInfo().addKeyValue("apiserver", config.apiServer()).addKeyValue("node", config.nodeName())
        .addKeyValue("services", services.store().size()).addKeyValue("healthPort", health.port())
        .log("kube-proxy started");
    return new KubeProxyProcess(lifecycle, health, proxier);
  }

  private static <T extends Message> ResourceEventHandler<T> handler(Function<T, ObjectMeta> meta,
      BiConsumer<String, T> apply) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        apply.accept(key(meta.apply(object)), object);
      }

      @Override
      public void onUpdate(T oldObject, T newObject) {
        apply.accept(key(meta.apply(newObject)), newObject);
      }

      @Override
      public void onDelete(T lastKnown) {
        apply.accept(key(meta.apply(lastKnown)), null);
      }
    };
  }

  private static String key(ObjectMeta meta) {
    return meta.getNamespace() + "/" + meta.getName();
  }

  public ProcessLifecycle lifecycle() {
    return lifecycle;
  }

  public Proxier proxier() {
    return proxier;
  }

  public int healthPort() {
    return health.port();
  }
}
