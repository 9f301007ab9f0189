package io.minik8s.client.selector;

import com.google.protobuf.Message;
import io.minik8s.api.Event;
import io.minik8s.api.Namespace;
import io.minik8s.api.Node;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The fields a field selector may name, per kind, and their values on an object (Kubernetes'
 * "field labels"). Every kind has {@code metadata.name} and {@code metadata.namespace} (empty for
 * cluster-scoped kinds); Pods, Nodes, Namespaces and Events add the fields their controllers and
 * {@code kubectl} filter on. Stateless and thread-safe.
 */
public final class ObjectFields {
  private static final Map<Kind<?>, Map<String, Function<Message, String>>> FIELDS = new LinkedHashMap<>();

  static {
    for (Kind<?> kind : Kinds.all()) {
      Map<String, Function<Message, String>> f = new LinkedHashMap<>();
      f.put("metadata.name", o -> meta(o).getName());
      f.put("metadata.namespace", o -> meta(o).getNamespace());
      FIELDS.put(kind, f);
    }
    Map<String, Function<Message, String>> pod = FIELDS.get(Kinds.POD);
    pod.put("spec.nodeName", o -> ((Pod) o).getSpec().getNodeName());
    pod.put("spec.schedulerName", o -> ((Pod) o).getSpec().getSchedulerName());
    pod.put("spec.restartPolicy", o -> ((Pod) o).getSpec().getRestartPolicy());
    pod.put("spec.hostNetwork", o -> Boolean.toString(((Pod) o).getSpec().getHostNetwork()));
    pod.put("status.phase", o -> ((Pod) o).getStatus().getPhase());
    pod.put("status.podIP", o -> ((Pod) o).getStatus().getPodIp());
    pod.put("status.nominatedNodeName", o -> ((Pod) o).getStatus().getNominatedNodeName());
    FIELDS.get(Kinds.NODE).put("spec.unschedulable", o -> Boolean.toString(((Node) o).getSpec().getUnschedulable()));
    FIELDS.get(Kinds.NAMESPACE).put("status.phase", o -> ((Namespace) o).getStatus().getPhase());
    Map<String, Function<Message, String>> event = FIELDS.get(Kinds.EVENT);
    event.put("involvedObject.kind", o -> ((Event) o).getInvolvedObject().getKind());
    event.put("involvedObject.namespace", o -> ((Event) o).getInvolvedObject().getNamespace());
    event.put("involvedObject.name", o -> ((Event) o).getInvolvedObject().getName());
    event.put("involvedObject.uid", o -> ((Event) o).getInvolvedObject().getUid());
    event.put("involvedObject.apiVersion", o -> ((Event) o).getInvolvedObject().getApiVersion());
    event.put("involvedObject.resourceVersion", o -> ((Event) o).getInvolvedObject().getResourceVersion());
    event.put("involvedObject.fieldPath", o -> ((Event) o).getInvolvedObject().getFieldPath());
    event.put("reason", o -> ((Event) o).getReason());
    event.put("type", o -> ((Event) o).getType());
    event.put("source", o -> ((Event) o).getSource().getComponent());
    event.put("reportingComponent", o -> ((Event) o).getReportingComponent());
    FIELDS.replaceAll((k, v) -> Collections.unmodifiableMap(v));
  }

  private ObjectFields() {}

  /** The field names a selector on {@code kind} may use, in a stable order. */
  public static Set<String> supported(Kind<?> kind) {
    Map<String, Function<Message, String>> f = FIELDS.get(kind);
    if (f == null) {
      throw new IllegalArgumentException("unknown kind " + kind);
    }
    return f.keySet();
  }

  /** Every supported field of {@code object} with its value (never null; absent reads as empty). */
  public static Map<String, String> of(Message object) {
    Map<String, Function<Message, String>> f = FIELDS.get(Kinds.of(object));
    Map<String, String> values = new LinkedHashMap<>(f.size() * 2);
    f.forEach((name, getter) -> values.put(name, getter.apply(object)));
    return values;
  }

  private static ObjectMeta meta(Message object) {
    return Kinds.of(object).metadata(object);
  }
}
