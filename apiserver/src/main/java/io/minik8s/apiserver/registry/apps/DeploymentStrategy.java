package io.minik8s.apiserver.registry.apps;

import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.DeploymentStrategy.Builder;
import io.minik8s.api.Deployment;
import io.minik8s.api.IntOrString;
import io.minik8s.api.RollingUpdateDeployment;
import io.minik8s.apiserver.registry.ResourceStrategy;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.List;

public final class DeploymentStrategy implements ResourceStrategy<Deployment> {
  private static final List<String> TYPES = List.of("Recreate", "RollingUpdate");
  private static final IntOrString QUARTER = IntOrString.newBuilder().setStrVal("25%").build();

  @Override
  public Kind<Deployment> kind() {
    return Kinds.DEPLOYMENT;
  }

  @Override
  public Deployment applyDefaults(Deployment d) {
    DeploymentSpec.Builder spec = d.getSpec().toBuilder();
    if (!spec.hasReplicas()) {
      spec.setReplicas(1);
    }
    if (!spec.hasRevisionHistoryLimit()) {
      spec.setRevisionHistoryLimit(10);
    }
    if (!spec.hasProgressDeadlineSeconds()) {
      spec.setProgressDeadlineSeconds(600);
    }
    Builder strategy = spec.getStrategyBuilder();
    if (strategy.getType().isEmpty()) {
      strategy.setType("RollingUpdate");
    }
    if (strategy.getType().equals("RollingUpdate")) {
      RollingUpdateDeployment.Builder ru = strategy.getRollingUpdateBuilder();
      if (!ru.hasMaxSurge()) {
        ru.setMaxSurge(QUARTER);
      }
      if (!ru.hasMaxUnavailable()) {
        ru.setMaxUnavailable(QUARTER);
      }
    }
    spec.setTemplate(WorkloadValidation.defaultTemplate(spec.getTemplate()));
    return d.toBuilder().setSpec(spec).build();
  }

  @Override
  public void validate(Deployment d, FieldErrors errs) {
    DeploymentSpec s = d.getSpec();
    FieldPath spec = FieldPath.root("spec");
    WorkloadValidation.validate(s.getSelector(), s.hasSelector(), s.getTemplate(), s.getReplicas(), spec, errs);
    FieldPath st = spec.child("strategy");
    String type = s.getStrategy().getType();
    if (!TYPES.contains(type)) {
      errs.notSupported(st.child("type"), type, TYPES);
    } else if (type.equals("Recreate") && s.getStrategy().hasRollingUpdate()) {
      errs.forbidden(st.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'");
    } else if (type.equals("RollingUpdate")) {
      RollingUpdateDeployment ru = s.getStrategy().getRollingUpdate();
      FieldPath rp = st.child("rollingUpdate");
      boolean surgeOk = intOrPercent(ru.getMaxSurge(), rp.child("maxSurge"), errs);
      boolean unavailableOk = intOrPercent(ru.getMaxUnavailable(), rp.child("maxUnavailable"), errs);
      if (surgeOk && unavailableOk && isZero(ru.getMaxSurge()) && isZero(ru.getMaxUnavailable())) {
        errs.invalid(rp.child("maxUnavailable"), describe(ru.getMaxUnavailable()),
            "may not be 0 when `maxSurge` is 0");
      }
      if (unavailableOk && ru.getMaxUnavailable().hasStrVal() && percent(ru.getMaxUnavailable()) > 100) {
        errs.invalid(rp.child("maxUnavailable"), ru.getMaxUnavailable().getStrVal(), "must not be greater than 100%");
      }
    }
    nonNegative(s.getMinReadySeconds(), spec.child("minReadySeconds"), errs);
    nonNegative(s.getRevisionHistoryLimit(), spec.child("revisionHistoryLimit"), errs);
    if (s.getProgressDeadlineSeconds() <= s.getMinReadySeconds()) {
      errs.invalid(spec.child("progressDeadlineSeconds"), s.getProgressDeadlineSeconds(),
          "must be greater than minReadySeconds");
    }
  }

  @Override
  public void validateUpdate(Deployment old, Deployment updated, FieldErrors errs) {
    if (!old.getSpec().getSelector().equals(updated.getSpec().getSelector())) {
      errs.invalid(FieldPath.root("spec").child("selector"), updated.getSpec().getSelector().toString().trim(),
          "field is immutable");
    }
  }

  private static boolean intOrPercent(IntOrString v, FieldPath p, FieldErrors errs) {
    if (v.hasIntVal()) {
      if (v.getIntVal() < 0) {
        errs.invalid(p, v.getIntVal(), "must be greater than or equal to 0");
        return false;
      }
      return true;
    }
    if (!v.getStrVal().matches("[0-9]+%")) {
      errs.invalid(p, v.getStrVal(), "a valid percent string must be a numeric string followed by an ending '%'"
          + " (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
      return false;
    }
    return true;
  }

  private static boolean isZero(IntOrString v) {
    return v.hasIntVal() ? v.getIntVal() == 0 : percent(v) == 0;
  }

  private static int percent(IntOrString v) {
    return Integer.parseInt(v.getStrVal().substring(0, v.getStrVal().length() - 1));
  }

  private static Object describe(IntOrString v) {
    return v.hasIntVal() ? (Object) v.getIntVal() : v.getStrVal();
  }

  private static void nonNegative(int value, FieldPath p, FieldErrors errs) {
    if (value < 0) {
      errs.invalid(p, value, "must be greater than or equal to 0");
    }
  }
}
