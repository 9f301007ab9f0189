package io.minik8s.cli.describe;

import com.google.protobuf.Message;
import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.EnvVar;
import io.minik8s.api.Event;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.Toleration;
import io.minik8s.cli.apply.Applier;
import io.minik8s.client.printers.EventPrinter;
import io.minik8s.client.printers.HumanDuration;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The parts several descriptions share, each written as kubectl writes it. */
final class Sections {
  private Sections() {}

  /** {@code Labels:  a=1} with further labels on their own lines, or {@code <none>}. */
  static void labels(DescribeWriter w, int level, String title, Map<String, String> labels) {
    multiline(w, level, title, labels, "=");
  }

  /** Like labels, {@code key: value}, without the last-applied configuration (it is the manifest again). */
  static void annotations(DescribeWriter w, int level, Map<String, String> annotations) {
    Map<String, String> shown = new TreeMap<>(annotations);
    shown.remove(Applier.LAST_APPLIED);
    multiline(w, level, "Annotations", shown, ": ");
  }

  private static void multiline(DescribeWriter w, int level, String title, Map<String, String> entries,
      String separator) {
    if (entries.isEmpty()) {
      w.line(level, title + ":", "<none>");
      return;
    }
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
      w.line(level, first ? title + ":" : "", e.getKey() + separator + e.getValue());
      first = false;
    }
  }

  /** Name, Namespace (for namespaced kinds), Labels, Annotations, CreationTimestamp. */
  static void header(DescribeWriter w, Kind<?> kind, ObjectMeta metadata, DescribeContext context) {
    w.line(0, "Name:", metadata.getName());
    if (kind.namespaced()) {
      w.line(0, "Namespace:", metadata.getNamespace());
    }
    labels(w, 0, "Labels", metadata.getLabelsMap());
    annotations(w, 0, metadata.getAnnotationsMap());
    w.line(0, "CreationTimestamp:", context.time(metadata.getCreationTimestamp()));
  }

  /** {@code Controlled By:  ReplicaSet/web-abc}, when an owner is the controller. */
  static void controlledBy(DescribeWriter w, ObjectMeta metadata) {
    for (OwnerReference owner : metadata.getOwnerReferencesList()) {
      if (owner.getController()) {
        w.line(0, "Controlled By:", owner.getKind() + "/" + owner.getName());
      }
    }
  }

  /** kubectl's pod template: labels, then each container indented under {@code Containers:}. */
  static void podTemplate(DescribeWriter w, PodTemplateSpec template, DescribeContext context) {
    w.line(0, "Pod Template:");
    labels(w, 1, "Labels", template.getMetadata().getLabelsMap());
    w.line(1, "Containers:");
    for (Container container : template.getSpec().getContainersList()) {
      w.raw(0, "   " + container.getName() + ":\n");
      containerSpec(w, container, 2, null);
      containerResourcesAndEnv(w, container, 2);
    }
    nodeSelectors(w, 1, template.getSpec().getNodeSelectorMap());
    tolerations(w, 1, template.getSpec().getTolerationsList());
  }

  /** What a container is asked to be: image, ports, command, resources, probes, environment. */
  static void containerSpec(DescribeWriter w, Container container, int level, String imageId) {
    w.line(level, "Image:", container.getImage());
    if (imageId != null) {
      w.line(level, "Image ID:", imageId);
    }
    ports(w, level, container.getPortsList());
    stringList(w, level, "Command", container.getCommandList());
    stringList(w, level, "Args", container.getArgsList());
  }

  /** Requests, limits, probes and environment: written after the container's state in a pod. */
  static void containerResourcesAndEnv(DescribeWriter w, Container container, int level) {
    quantities(w, level, "Limits", container.getResources().getLimitsMap());
    quantities(w, level, "Requests", container.getResources().getRequestsMap());
    probe(w, level, "Liveness", container, container.hasLivenessProbe() ? container.getLivenessProbe() : null);
    probe(w, level, "Readiness", container, container.hasReadinessProbe() ? container.getReadinessProbe() : null);
    probe(w, level, "Startup", container, container.hasStartupProbe() ? container.getStartupProbe() : null);
    if (container.getEnvCount() == 0) {
      w.line(level, "Environment:", "<none>");
    } else {
      w.line(level, "Environment:");
      for (EnvVar env : container.getEnvList()) {
        w.line(level + 1, env.getName() + ":", env.getValue());
      }
    }
  }

  private static void ports(DescribeWriter w, int level, List<ContainerPort> ports) {
    if (ports.isEmpty()) {
      w.line(level, "Port:", "<none>");
      w.line(level, "Host Port:", "<none>");
      return;
    }
    String label = ports.size() == 1 ? "Port:" : "Ports:";
    String hostLabel = ports.size() == 1 ? "Host Port:" : "Host Ports:";
    w.line(level, label, ports.stream().map(p -> p.getContainerPort() + "/" + protocol(p.getProtocol()))
        .collect(Collectors.joining(", ")));
    w.line(level, hostLabel, ports.stream().map(p -> p.getHostPort() + "/" + protocol(p.getProtocol()))
        .collect(Collectors.joining(", ")));
  }

  static String protocol(String protocol) {
    return protocol.isEmpty() ? "TCP" : protocol;
  }

  private static void stringList(DescribeWriter w, int level, String title, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    w.line(level, title + ":");
    for (String v : values) {
      w.line(level + 1, v);
    }
  }

  private static void quantities(DescribeWriter w, int level, String title, Map<String, String> values) {
    if (values.isEmpty()) {
      return;
    }
    w.line(level, title + ":");
    new TreeMap<>(values).forEach((k, v) -> w.line(level + 1, k + ":", v));
  }

  /** {@code http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3}. */
  private static void probe(DescribeWriter w, int level, String title, Container container, Probe probe) {
    if (probe == null) {
      return;
    }
    String action;
    if (probe.hasExec()) {
      action = "exec [" + String.join(" ", probe.getExec().getCommandList()) + "]";
    } else if (probe.hasHttpGet()) {
      String scheme = probe.getHttpGet().getScheme().isEmpty() ? "http" : probe.getHttpGet().getScheme().toLowerCase();
      action = "http-get " + scheme + "://" + probe.getHttpGet().getHost() + ":"
          + portText(probe.getHttpGet().getPort()) + probe.getHttpGet().getPath();
    } else if (probe.hasTcpSocket()) {
      action = "tcp-socket " + probe.getTcpSocket().getHost() + ":" + portText(probe.getTcpSocket().getPort());
    } else {
      action = "unknown";
    }
    w.line(level, title + ":", action + " delay=" + probe.getInitialDelaySeconds() + "s timeout="
        + orDefault(probe.getTimeoutSeconds(), 1) + "s period=" + orDefault(probe.getPeriodSeconds(), 10)
        + "s #success=" + orDefault(probe.getSuccessThreshold(), 1) + " #failure="
        + orDefault(probe.getFailureThreshold(), 3));
  }

  private static int orDefault(int value, int fallback) {
    return value == 0 ? fallback : value;
  }

  private static String portText(io.minik8s.api.IntOrString port) {
    return port.hasStrVal() ? port.getStrVal() : Integer.toString(port.getIntVal());
  }

  static void nodeSelectors(DescribeWriter w, int level, Map<String, String> selector) {
    w.line(level, "Node-Selectors:", selector.isEmpty() ? "<none>"
        : new TreeMap<>(selector).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",")));
  }

  static void tolerations(DescribeWriter w, int level, List<Toleration> tolerations) {
    if (tolerations.isEmpty()) {
      w.line(level, "Tolerations:", "<none>");
      return;
    }
    boolean first = true;
    for (Toleration t : tolerations) {
      StringBuilder s = new StringBuilder(t.getKey());
      if (!t.getValue().isEmpty()) {
        s.append('=').append(t.getValue());
      }
      if (!t.getEffect().isEmpty()) {
        s.append(':').append(t.getEffect());
      }
      if (t.getOperator().equals("Exists") && t.getValue().isEmpty()) {
        s.append(" op=Exists");
      }
      if (t.hasTolerationSeconds()) {
        s.append(" for ").append(t.getTolerationSeconds()).append('s');
      }
      w.line(level, first ? "Tolerations:" : "", s.toString());
      first = false;
    }
  }

  /**
   * {@code Events:}: the events whose involved object is this one (by uid), oldest first, with
   * {@code Age} as {@code 5m (x3 over 10m)} for repeated ones; {@code <none>} when there are none.
   */
  static void events(DescribeWriter w, Kind<?> kind, ObjectMeta metadata, DescribeContext context) {
    List<Event> events = new ArrayList<>();
    try {
      String namespace = kind.namespaced() ? metadata.getNamespace() : "";
      for (Event e : context.client().list(Kinds.EVENT, ListOptions.inNamespace(namespace)).items()) {
        if (involves(e, kind, metadata)) {
          events.add(e);
        }
      }
    } catch (ApiException e) {
      // Events are a courtesy: the description stands without them.
    }
    if (events.isEmpty()) {
      w.line(0, "Events:", "<none>");
      return;
    }
    events.sort(Comparator.comparing(e -> seconds(EventPrinter.lastSeen(e))));
    w.line(0, "Events:");
    w.line(1, "Type", "Reason", "Age", "From", "Message");
    w.line(1, "----", "------", "----", "----", "-------");
    for (Event e : events) {
      String last = HumanDuration.since(EventPrinter.lastSeen(e), context.now());
      String age = e.getCount() > 1
          ? last + " (x" + e.getCount() + " over " + HumanDuration.since(EventPrinter.firstSeen(e), context.now()) + ")"
          : last;
      w.line(1, e.getType(), e.getReason(), age, EventPrinter.source(e), e.getMessage().strip());
    }
  }

  private static boolean involves(Event e, Kind<?> kind, ObjectMeta metadata) {
    if (!e.getInvolvedObject().getUid().isEmpty()) {
      return e.getInvolvedObject().getUid().equals(metadata.getUid());
    }
    return e.getInvolvedObject().getKind().equals(kind.kind())
        && e.getInvolvedObject().getName().equals(metadata.getName());
  }

  private static double seconds(com.google.protobuf.Timestamp t) {
    return t.getSeconds() + t.getNanos() / 1e9;
  }

  static ObjectMeta metadata(Message object) {
    return Kinds.of(object).metadata(object);
  }
}
