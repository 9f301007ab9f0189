package io.minik8s.apiserver.registry.core;

import io.minik8s.api.Lease;
import io.minik8s.apiserver.registry.ResourceStrategy;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;

public final class LeaseStrategy implements ResourceStrategy<Lease> {
  @Override
  public Kind<Lease> kind() {
    return Kinds.LEASE;
  }

  @Override
  public void validate(Lease lease, FieldErrors errs) {
    if (lease.getSpec().hasLeaseDurationSeconds() && lease.getSpec().getLeaseDurationSeconds() <= 0) {
      errs.invalid(FieldPath.root("spec").child("leaseDurationSeconds"), lease.getSpec().getLeaseDurationSeconds(),
          "must be greater than 0");
    }
    if (lease.getSpec().hasLeaseTransitions() && lease.getSpec().getLeaseTransitions() < 0) {
      errs.invalid(FieldPath.root("spec").child("leaseTransitions"), lease.getSpec().getLeaseTransitions(),
          "must be greater than or equal to 0");
    }
  }
}
