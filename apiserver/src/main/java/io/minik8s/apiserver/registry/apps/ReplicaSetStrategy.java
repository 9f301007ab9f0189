package io.minik8s.apiserver.registry.apps;

import io.minik8s.api.ReplicaSet;
import io.minik8s.api.ReplicaSetSpec;
import io.minik8s.apiserver.registry.ResourceStrategy;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;

public final class ReplicaSetStrategy implements ResourceStrategy<ReplicaSet> {
  @Override
  public Kind<ReplicaSet> kind() {
    return Kinds.REPLICA_SET;
  }

  @Override
  public ReplicaSet applyDefaults(ReplicaSet rs) {
    ReplicaSetSpec.Builder spec = rs.getSpec().toBuilder();
    if (!spec.hasReplicas()) {
      spec.setReplicas(1);
    }
    spec.setTemplate(WorkloadValidation.defaultTemplate(spec.getTemplate()));
    return rs.toBuilder().setSpec(spec).build();
  }

  @Override
  public void validate(ReplicaSet rs, FieldErrors errs) {
    ReplicaSetSpec s = rs.getSpec();
    FieldPath spec = FieldPath.root("spec");
    WorkloadValidation.validate(s.getSelector(), s.hasSelector(), s.getTemplate(), s.getReplicas(), spec, errs);
    if (s.getMinReadySeconds() < 0) {
      errs.invalid(spec.child("minReadySeconds"), s.getMinReadySeconds(), "must be greater than or equal to 0");
    }
  }

  @Override
  public void validateUpdate(ReplicaSet old, ReplicaSet updated, FieldErrors errs) {
    if (!old.getSpec().getSelector().equals(updated.getSpec().getSelector())) {
      errs.invalid(FieldPath.root("spec").child("selector"), updated.getSpec().getSelector().toString().trim(),
          "field is immutable");
    }
  }
}
