package io.minik8s.apiserver.registry.pods;

import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.apiserver.registry.ResourceStrategy;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.List;

/** Pods: defaults, validation, and what may change once a pod exists. */
public final class PodStrategy implements ResourceStrategy<Pod> {
  static final List<String> PHASES = List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");

  @Override
  public Kind<Pod> kind() {
    return Kinds.POD;
  }

  @Override
  public Pod applyDefaults(Pod pod) {
    return pod.toBuilder().setSpec(PodSpecDefaults.apply(pod.getSpec())).build();
  }

  /** A new pod starts Pending with its QoS class; whatever status the client sent is dropped. */
  @Override
  public Pod prepareForCreate(Pod pod) {
    return pod.toBuilder()
        .setStatus(PodStatus.newBuilder().setPhase("Pending").setQosClass(QosClass.of(pod.getSpec())))
        .build();
  }

  @Override
  public void validate(Pod pod, FieldErrors errs) {
    PodSpecValidation.validate(pod.getSpec(), FieldPath.root("spec"), errs);
  }

  /**
   * As in Kubernetes, a pod's spec is fixed once created except for container images and added
   * tolerations; the node is set only through the binding call.
   */
  @Override
  public void validateUpdate(Pod old, Pod updated, FieldErrors errs) {
    PodSpec o = old.getSpec();
    PodSpec n = updated.getSpec();
    PodSpec.Builder normalized = n.toBuilder().clearContainers().clearTolerations()
        .addAllTolerations(o.getTolerationsList());
    if (n.getContainersCount() == o.getContainersCount()) {
      for (int i = 0; i < n.getContainersCount(); i++) {
        Container oc = o.getContainers(i);
        normalized.addContainers(n.getContainers(i).toBuilder().setImage(oc.getImage()));
      }
    } else {
      normalized.addAllContainers(n.getContainersList());
    }
    if (!normalized.build().equals(o)) {
      errs.forbidden(FieldPath.root("spec"), "pod updates may not change fields other than"
          + " `spec.containers[*].image` or `spec.tolerations` (only additions to existing tolerations)");
    } else if (!n.getTolerationsList().containsAll(o.getTolerationsList())) {
      errs.forbidden(FieldPath.root("spec").child("tolerations"), "existing toleration can not be modified except its tolerationSeconds");
    }
  }

  @Override
  public void validateStatus(Pod pod, FieldErrors errs) {
    String phase = pod.getStatus().getPhase();
    if (!phase.isEmpty() && !PHASES.contains(phase)) {
      errs.notSupported(FieldPath.root("status").child("phase"), phase, PHASES);
    }
  }
}
