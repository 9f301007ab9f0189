package io.minik8s.scheduler.framework;

import io.minik8s.client.codec.Quantity;
import java.util.Map;

/**
 * An amount of the two resources the scheduler accounts for: CPU in millicores and memory in bytes.
 * Immutable.
 */
public record Resources(long milliCpu, long memoryBytes) {
  public static final Resources ZERO = new Resources(0, 0);

  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String PODS = "pods";

  public Resources plus(Resources o) {
    return new Resources(milliCpu + o.milliCpu, memoryBytes + o.memoryBytes);
  }

  public Resources minus(Resources o) {
    return new Resources(milliCpu - o.milliCpu, memoryBytes - o.memoryBytes);
  }

  /**
   * CPU and memory of a resource map as Kubernetes writes it ({@code cpu: "250m"}, {@code memory: "1Gi"});
   * absent entries are zero. The API server validates quantities, so an unparsable one (which it
   * would have refused) also counts as zero rather than failing the whole scheduler.
   */
  public static Resources of(Map<String, String> quantities) {
    return new Resources(milli(quantities.get(CPU)), whole(quantities.get(MEMORY)));
  }

  /** The amount in thousandths (CPU), zero when absent or unparsable. */
  public static long milli(String quantity) {
    if (quantity == null) {
      return 0;
    }
    try {
      return Quantity.parse(quantity).milliValue();
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  /** The amount rounded up (bytes, pods), zero when absent or unparsable. */
  public static long whole(String quantity) {
    if (quantity == null) {
      return 0;
    }
    try {
      return Quantity.parse(quantity).value();
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }
}
