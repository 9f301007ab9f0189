package io.minik8s.apiserver.registry.apps;

import io.minik8s.client.validation.NameRules;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.LabelSelectorRequirement;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.apiserver.registry.pods.PodSpecDefaults;
import io.minik8s.apiserver.registry.pods.PodSpecValidation;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.apiserver.validation.MetadataValidation;
import java.util.List;
import java.util.Map;

/** The parts ReplicaSets and Deployments share: a selector, a pod template that matches it. */
final class WorkloadValidation {
  private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

  private WorkloadValidation() {}

  static PodTemplateSpec defaultTemplate(PodTemplateSpec template) {
    return template.toBuilder().setSpec(PodSpecDefaults.apply(template.getSpec())).build();
  }

  static void validate(LabelSelector selector, boolean hasSelector, PodTemplateSpec template, int replicas,
      FieldPath spec, FieldErrors errs) {
    if (replicas < 0) {
      errs.invalid(spec.child("replicas"), replicas, "must be greater than or equal to 0");
    }
    FieldPath sp = spec.child("selector");
    if (!hasSelector || (selector.getMatchLabelsCount() == 0 && selector.getMatchExpressionsCount() == 0)) {
      errs.required(sp);
    } else {
      MetadataValidation.labels(selector.getMatchLabelsMap(), sp.child("matchLabels"), errs);
      for (int i = 0; i < selector.getMatchExpressionsCount(); i++) {
        requirement(selector.getMatchExpressions(i), sp.child("matchExpressions").index(i), errs);
      }
      if (!matches(selector, template.getMetadata().getLabelsMap())) {
        errs.invalid(spec.child("template").child("metadata").child("labels"),
            template.getMetadata().getLabelsMap().toString(), "`selector` does not match template `labels`");
      }
    }
    FieldPath tp = spec.child("template");
    MetadataValidation.labels(template.getMetadata().getLabelsMap(), tp.child("metadata").child("labels"), errs);
    PodSpecValidation.validate(template.getSpec(), tp.child("spec"), errs);
    if (!template.getSpec().getRestartPolicy().equals("Always")) {
      errs.notSupported(tp.child("spec").child("restartPolicy"), template.getSpec().getRestartPolicy(), List.of("Always"));
    }
    if (!template.getSpec().getNodeName().isEmpty()) {
      errs.forbidden(tp.child("spec").child("nodeName"), "a pod template may not name a node");
    }
  }

  private static void requirement(LabelSelectorRequirement r, FieldPath p, FieldErrors errs) {
    errs.invalidIfAny(p.child("key"), r.getKey(), NameRules.qualifiedName(r.getKey()));
    if (!OPERATORS.contains(r.getOperator())) {
      errs.notSupported(p.child("operator"), r.getOperator(), OPERATORS);
      return;
    }
    boolean needsValues = r.getOperator().equals("In") || r.getOperator().equals("NotIn");
    if (needsValues && r.getValuesCount() == 0) {
      errs.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'");
    } else if (!needsValues && r.getValuesCount() > 0) {
      errs.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    }
  }

  /** Whether a label set satisfies a selector (kept here so validation needs no client-side matcher). */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    for (Map.Entry<String, String> e : selector.getMatchLabelsMap().entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (LabelSelectorRequirement r : selector.getMatchExpressionsList()) {
      String v = labels.get(r.getKey());
      boolean ok = switch (r.getOperator()) {
        case "In" -> v != null && r.getValuesList().contains(v);
        case "NotIn" -> v == null || !r.getValuesList().contains(v);
        case "Exists" -> v != null;
        case "DoesNotExist" -> v == null;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
