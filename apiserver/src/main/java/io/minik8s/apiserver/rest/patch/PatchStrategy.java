package io.minik8s.apiserver.rest.patch;

import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.Map;

/**
 * How a strategic merge patch treats one list field, as Kubernetes' Go types declare it with
 * {@code patchStrategy} and {@code patchMergeKey}: lists of objects merged element by element on a key
 * ({@code containers} by {@code name}, {@code ports} by {@code containerPort}), lists of scalars merged as
 * sets ({@code finalizers}), and every other list replaced whole. Also the maps whose keys a patch may
 * prune with {@code $retainKeys} ({@code spec.strategy} of a Deployment).
 *
 * <p>Keyed by the protobuf field's full name, so the table follows the .proto files; kubectl computes its
 * patches from the same declarations, which is why they must match. Immutable and thread-safe.
 */
record PatchStrategy(Type type, String mergeKey) {
  enum Type { REPLACE, MERGE_SCALARS, MERGE_BY_KEY }

  static final PatchStrategy REPLACE = new PatchStrategy(Type.REPLACE, "");
  private static final PatchStrategy SCALARS = new PatchStrategy(Type.MERGE_SCALARS, "");

  private static final Map<String, PatchStrategy> LISTS = Map.ofEntries(
      Map.entry("minik8s.api.ObjectMeta.finalizers", SCALARS),
      Map.entry("minik8s.api.ObjectMeta.owner_references", byKey("uid")),
      Map.entry("minik8s.api.PodSpec.containers", byKey("name")),
      Map.entry("minik8s.api.Container.ports", byKey("containerPort")),
      Map.entry("minik8s.api.Container.env", byKey("name")),
      Map.entry("minik8s.api.PodStatus.conditions", byKey("type")),
      Map.entry("minik8s.api.PodStatus.pod_ips", byKey("ip")),
      Map.entry("minik8s.api.PodStatus.host_ips", byKey("ip")),
      Map.entry("minik8s.api.NodeSpec.pod_cidrs", SCALARS),
      Map.entry("minik8s.api.NodeStatus.conditions", byKey("type")),
      Map.entry("minik8s.api.NodeStatus.addresses", byKey("type")),
      Map.entry("minik8s.api.ServiceSpec.ports", byKey("port")),
      Map.entry("minik8s.api.DeploymentStatus.conditions", byKey("type")),
      Map.entry("minik8s.api.ReplicaSetStatus.conditions", byKey("type")));

  private static PatchStrategy byKey(String key) {
    return new PatchStrategy(Type.MERGE_BY_KEY, key);
  }

  /** The strategy of a repeated field; {@link #REPLACE} for lists Kubernetes treats as atomic. */
  static PatchStrategy of(FieldDescriptor field) {
    return LISTS.getOrDefault(field.getFullName(), REPLACE);
  }
}
