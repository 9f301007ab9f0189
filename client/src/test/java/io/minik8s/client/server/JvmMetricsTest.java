package io.minik8s.client.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {
  @Test
  void bindingIsCountedPerRegistrySoNothingIsBoundTwice() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JvmMetrics byMain = JvmMetrics.bindTo(registry);
    int meters = registry.getMeters().size();
    JvmMetrics byHealthServer = JvmMetrics.bindTo(registry);
    assertThat(registry.getMeters()).hasSize(meters);
    assertThat(registry.find("jvm.memory.used").gauges()).isNotEmpty();
    assertThat(registry.find("process.uptime").timeGauge()).isNotNull();

    byMain.close();
    byMain.close();
    assertThat(JvmMetrics.isBound(registry)).as("still held by the health server").isTrue();
    byHealthServer.close();
    assertThat(JvmMetrics.isBound(registry)).isFalse();
    JvmMetrics.bindTo(registry).close();
  }
}
