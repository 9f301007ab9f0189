package io.minik8s.apiserver.registry.core;

import io.minik8s.client.validation.NameRules;
import io.minik8s.api.Node;
import io.minik8s.api.Taint;
import io.minik8s.apiserver.registry.ResourceStrategy;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.codec.Quantity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class NodeStrategy implements ResourceStrategy<Node> {
  private static final List<String> EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  @Override
  public Kind<Node> kind() {
    return Kinds.NODE;
  }

  @Override
  public void validate(Node node, FieldErrors errs) {
    FieldPath taints = FieldPath.root("spec").child("taints");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.getSpec().getTaintsCount(); i++) {
      Taint t = node.getSpec().getTaints(i);
      FieldPath p = taints.index(i);
      if (t.getKey().isEmpty()) {
        errs.required(p.child("key"));
      } else {
        errs.invalidIfAny(p.child("key"), t.getKey(), NameRules.qualifiedName(t.getKey()));
      }
      if (!t.getValue().isEmpty()) {
        errs.invalidIfAny(p.child("value"), t.getValue(), NameRules.labelValue(t.getValue()));
      }
      if (!EFFECTS.contains(t.getEffect())) {
        errs.notSupported(p.child("effect"), t.getEffect(), EFFECTS);
      }
      if (!seen.add(t.getKey() + ":" + t.getEffect())) {
        errs.duplicate(p, t.getKey() + ":" + t.getEffect());
      }
    }
  }

  @Override
  public void validateStatus(Node node, FieldErrors errs) {
    quantities(node.getStatus().getCapacityMap(), FieldPath.root("status").child("capacity"), errs);
    quantities(node.getStatus().getAllocatableMap(), FieldPath.root("status").child("allocatable"), errs);
  }

  private static void quantities(Map<String, String> values, FieldPath p, FieldErrors errs) {
    values.forEach((k, v) -> {
      try {
        Quantity.parse(v);
      } catch (IllegalArgumentException e) {
        errs.invalid(p.key(k), v, e.getMessage());
      }
    });
  }
}
