package io.minik8s.client.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Binds the JVM and process metrics every minik8s process exports: memory pools, GC pauses, threads,
 * class loading, CPU usage, open file descriptors and uptime.
 *
 * <p>Binding is counted per registry: a second {@link #bindTo} of the same registry (a {@code Main}
 * and its {@link HealthServer} both asking) binds nothing more, so GC pauses are not counted twice;
 * the GC listeners go away when the last handle is closed. Thread-safe.
 */
public final class JvmMetrics implements AutoCloseable {
  private static final Map<MeterRegistry, Binding> BOUND = new IdentityHashMap<>();

  private final MeterRegistry registry;
  private boolean closed;

  private JvmMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Binds every binder to {@code registry} unless already bound; {@link #close()} releases this handle. */
  public static JvmMetrics bindTo(MeterRegistry registry) {
    synchronized (BOUND) {
      Binding binding = BOUND.get(registry);
      if (binding == null) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binding = new Binding(gc);
        BOUND.put(registry, binding);
      }
      binding.handles++;
      return new JvmMetrics(registry);
    }
  }

  static boolean isBound(MeterRegistry registry) {
    synchronized (BOUND) {
      return BOUND.containsKey(registry);
    }
  }

  /** Releases this handle; the last one removes the GC listeners. Idempotent. */
  @Override
  public void close() {
    synchronized (BOUND) {
      if (closed) {
        return;
      }
      closed = true;
      Binding binding = BOUND.get(registry);
      if (--binding.handles == 0) {
        binding.gc.close();
        BOUND.remove(registry);
      }
    }
  }

  private static final class Binding {
    final JvmGcMetrics gc;
    int handles;

    Binding(JvmGcMetrics gc) {
      this.gc = gc;
    }
  }
}
