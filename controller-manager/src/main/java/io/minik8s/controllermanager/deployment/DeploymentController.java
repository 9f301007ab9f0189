package io.minik8s.controllermanager.deployment;

import io.minik8s.client.workqueue.Result;
import io.minik8s.controllermanager.Controller;
import io.minik8s.controllermanager.ControllerContext;

/** Placeholder so the skeleton runs; the real controller follows. */
public final class DeploymentController implements Controller {
  public static final String NAME = "deployment";

  public static DeploymentController create(ControllerContext context) {
    return new DeploymentController();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void register(ControllerContext context) {}

  @Override
  public Result reconcile(String key) {
    return Result.done();
  }
}
