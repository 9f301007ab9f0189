package io.minik8s.client.api;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Several API servers behind one gRPC channel: {@code "10.0.0.1:6443,10.0.0.2:6443"} becomes the
 * target {@code minik8s-servers:///10.0.0.1:6443,10.0.0.2:6443}, whose resolver hands gRPC every address.
 * With the {@code round_robin} policy calls go to the servers that are up, so a client outlives any one
 * of them; a call that met a server just as it went away (UNAVAILABLE) is retried on another, and a
 * broken watch stream is re-opened by its informer and lands on a live server.
 *
 * <p>Host names are resolved each time gRPC asks (on start and after connection failures), so a server
 * that moved is found again.
 */
public final class ServerList {
  static final String SCHEME = "minik8s-servers";
  private static volatile boolean registered;

  private ServerList() {}

  /**
   * The gRPC target for a comma-separated list of {@code host:port}; a single address is returned as is.
   *
   * @throws IllegalArgumentException when an entry is not {@code host:port} with a port in 1..65535
   */
  public static String target(String servers) {
    return targetOf(parse(servers));
  }

  /**
   * A channel builder for {@code servers}: one address as it is; several through this resolver, with
   * {@link #serviceConfig()} and retries on.
   *
   * @throws IllegalArgumentException as {@link #target}
   */
  public static NettyChannelBuilder channelBuilder(String servers) {
    List<String> entries = parse(servers);
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(targetOf(entries));
    if (entries.size() > 1) {
      builder.defaultServiceConfig(serviceConfig()).enableRetry();
    }
    return builder;
  }

  private static String targetOf(List<String> entries) {
    if (entries.size() == 1) {
      return entries.get(0);
    }
    register();
    return SCHEME + ":///" + String.join(",", entries);
  }

  /**
   * The gRPC service config for a channel to several servers: round-robin over the live ones, and up to
   * three attempts of a call that failed with UNAVAILABLE. A retried write is safe: the API server turns
   * a repeated create into AlreadyExists and a repeated update into Conflict, which callers handle anyway.
   */
  public static java.util.Map<String, Object> serviceConfig() {
    java.util.Map<String, Object> retry = java.util.Map.of(
        "maxAttempts", 3.0,
        "initialBackoff", "0.1s",
        "maxBackoff", "1s",
        "backoffMultiplier", 2.0,
        "retryableStatusCodes", List.of("UNAVAILABLE"));
    java.util.Map<String, Object> all = java.util.Map.of(
        "name", List.of(java.util.Map.of("service", "minik8s.api.ApiServer")),
        "retryPolicy", retry);
    return java.util.Map.of(
        "loadBalancingConfig", List.of(java.util.Map.of("round_robin", java.util.Map.of())),
        "methodConfig", List.of(all));
  }

  static List<String> parse(String servers) {
    List<String> entries = new ArrayList<>();
    for (String raw : servers.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int colon = entry.lastIndexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        throw new IllegalArgumentException("API server address '" + entry + "' is not HOST:PORT");
      }
      int port;
      try {
        port = Integer.parseInt(entry.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("API server address '" + entry + "' has a port that is not a number");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("API server address '" + entry + "' has port " + port + " out of 1..65535");
      }
      entries.add(entry);
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("no API server address given");
    }
    return entries;
  }

  private static synchronized void register() {
    if (!registered) {
      NameResolverRegistry.getDefaultRegistry().register(new Provider());
      registered = true;
    }
  }

  private static final class Provider extends NameResolverProvider {
    @Override
    protected boolean isAvailable() {
      return true;
    }

    @Override
    protected int priority() {
      return 5;
    }

    @Override
    public String getDefaultScheme() {
      return SCHEME;
    }

    @Override
    public NameResolver newNameResolver(URI uri, NameResolver.Args args) {
      if (!SCHEME.equals(uri.getScheme())) {
        return null;
      }
      return new Resolver(parse(uri.getPath().substring(1)));
    }
  }

  /** Resolves every entry on start and on each refresh gRPC asks for. Not shared between channels. */
  private static final class Resolver extends NameResolver {
    private final List<String> entries;
    private Listener2 listener;

    Resolver(List<String> entries) {
      this.entries = entries;
    }

    @Override
    public String getServiceAuthority() {
      return "minik8s-apiserver";
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    private void resolve() {
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      for (String entry : entries) {
        int colon = entry.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(
            entry.substring(0, colon).replace("[", "").replace("]", ""), Integer.parseInt(entry.substring(colon + 1)));
        if (!address.isUnresolved()) {
          groups.add(new EquivalentAddressGroup(address));
        }
      }
      if (groups.isEmpty()) {
        listener.onError(Status.UNAVAILABLE.withDescription("none of the API servers " + entries + " resolves"));
        return;
      }
      listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(
          io.grpc.StatusOr.fromValue(groups)).setAttributes(Attributes.EMPTY).build());
    }

    @Override
    public void shutdown() {}
  }
}
