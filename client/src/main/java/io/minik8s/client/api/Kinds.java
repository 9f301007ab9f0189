package io.minik8s.client.api;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.minik8s.api.Deployment;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Event;
import io.minik8s.api.Lease;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.Object;
import io.minik8s.api.Pod;
import io.minik8s.api.ReplicaSet;
import io.minik8s.api.Service;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The registry of every kind minik8s serves, and lookups by the names users and manifests use. */
public final class Kinds {
  public static final Kind<Namespace> NAMESPACE =
      new Kind<>("Namespace", "v1", "namespaces", List.of("ns"), false, Namespace.getDefaultInstance());
  public static final Kind<Node> NODE =
      new Kind<>("Node", "v1", "nodes", List.of("no"), false, Node.getDefaultInstance());
  public static final Kind<Pod> POD =
      new Kind<>("Pod", "v1", "pods", List.of("po"), true, Pod.getDefaultInstance());
  public static final Kind<Service> SERVICE =
      new Kind<>("Service", "v1", "services", List.of("svc"), true, Service.getDefaultInstance());
  public static final Kind<Endpoints> ENDPOINTS =
      new Kind<>("Endpoints", "v1", "endpoints", List.of("ep"), true, Endpoints.getDefaultInstance());
  public static final Kind<ReplicaSet> REPLICA_SET =
      new Kind<>("ReplicaSet", "apps/v1", "replicasets", List.of("rs"), true, ReplicaSet.getDefaultInstance());
  public static final Kind<Deployment> DEPLOYMENT =
      new Kind<>("Deployment", "apps/v1", "deployments", List.of("deploy"), true, Deployment.getDefaultInstance());
  public static final Kind<Lease> LEASE =
      new Kind<>("Lease", "coordination.k8s.io/v1", "leases", List.of(), true, Lease.getDefaultInstance());
  public static final Kind<Event> EVENT =
      new Kind<>("Event", "v1", "events", List.of("ev"), true, Event.getDefaultInstance());

  private static final List<Kind<?>> ALL =
      List.of(NAMESPACE, NODE, POD, SERVICE, ENDPOINTS, REPLICA_SET, DEPLOYMENT, LEASE, EVENT);

  private static final Map<String, Kind<?>> BY_NAME = new LinkedHashMap<>();

  static {
    for (Kind<?> k : ALL) {
      BY_NAME.put(k.resource(), k);
      BY_NAME.put(k.singular(), k);
      BY_NAME.put(k.kind().toLowerCase(Locale.ROOT), k);
      for (String s : k.shortNames()) {
        BY_NAME.put(s, k);
      }
    }
  }

  private Kinds() {}

  public static List<Kind<?>> all() {
    return ALL;
  }

  /**
   * Finds a kind by any name kubectl accepts: plural ({@code pods}), singular ({@code pod}), short
   * ({@code po}), kind ({@code Pod}, any case), optionally qualified by group ({@code deployments.apps}).
   */
  public static Optional<Kind<?>> byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    int dot = n.indexOf('.');
    if (dot > 0) {
      String group = n.substring(dot + 1);
      Kind<?> k = BY_NAME.get(n.substring(0, dot));
      return Optional.ofNullable(k != null && k.group().equals(group) ? k : null);
    }
    return Optional.ofNullable(BY_NAME.get(n));
  }

  /** Finds a kind by its resource (plural) name, as requests carry it. */
  public static Optional<Kind<?>> byResource(String resource) {
    return ALL.stream().filter(k -> k.resource().equals(resource)).findFirst();
  }

  /** Finds a kind by manifest {@code apiVersion} and {@code kind}. */
  public static Optional<Kind<?>> byApiVersionAndKind(String apiVersion, String kind) {
    return ALL.stream().filter(k -> k.kind().equals(kind) && k.apiVersion().equals(apiVersion)).findFirst();
  }

  /** The kind of a message. */
  public static Kind<?> of(Message object) {
    Descriptor d = object.getDescriptorForType();
    return ALL.stream().filter(k -> k.descriptor() == d).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not an API object: " + d.getFullName()));
  }

  /** The kind of whatever the envelope holds. */
  public static Kind<?> of(Object envelope) {
    if (envelope.getKindCase() == Object.KindCase.KIND_NOT_SET) {
      throw new IllegalArgumentException("empty object");
    }
    return of((Message) envelope.getField(
        Object.getDescriptor().findFieldByNumber(envelope.getKindCase().getNumber())));
  }

  /** Takes whatever the envelope holds out of it. */
  public static Message unwrap(Object envelope) {
    return of(envelope).unwrap(envelope);
  }
}
