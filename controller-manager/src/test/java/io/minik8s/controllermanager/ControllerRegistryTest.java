package io.minik8s.controllermanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.client.workqueue.Result;
import org.junit.jupiter.api.Test;

class ControllerRegistryTest {
  private final ControllerRegistry registry = new ControllerRegistry()
      .add("replicaset", c -> stub("replicaset"))
      .add("deployment", c -> stub("deployment"))
      .add("nodelifecycle", c -> stub("nodelifecycle"));

  @Test
  void starEnablesEverythingInRegistryOrder() {
    assertThat(registry.select("*")).containsExactly("replicaset", "deployment", "nodelifecycle");
  }

  @Test
  void minusDisablesWhateverTheOrder() {
    assertThat(registry.select("*,-nodelifecycle")).containsExactly("replicaset", "deployment");
    assertThat(registry.select("-nodelifecycle,*")).containsExactly("replicaset", "deployment");
  }

  @Test
  void namesWithoutStarEnableOnlyThose() {
    assertThat(registry.select("deployment")).containsExactly("deployment");
    assertThat(registry.select("nodelifecycle, replicaset")).containsExactly("replicaset", "nodelifecycle");
  }

  @Test
  void unknownOrEmptyNamesAreErrors() {
    assertThatThrownBy(() -> registry.select("*,-nope")).hasMessageContaining("unknown controller \"nope\"");
    assertThatThrownBy(() -> registry.select("replicaset,,")).hasMessageContaining("empty item");
    assertThatThrownBy(() -> registry.add("deployment", c -> stub("x"))).hasMessageContaining("twice");
  }

  @Test
  void defaultsKnowTheShippedControllers() {
    assertThat(ControllerRegistry.defaults().names()).contains("replicaset", "deployment");
  }

  private static Controller stub(String name) {
    return new Controller() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void register(ControllerContext context) {}

      @Override
      public Result reconcile(String key) {
        return Result.done();
      }
    };
  }
}
