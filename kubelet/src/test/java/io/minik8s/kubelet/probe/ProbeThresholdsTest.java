package io.minik8s.kubelet.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Probe;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeThresholdsTest {
  @Test
  void aVerdictNeedsThresholdResultsInARow() {
    ProbeThresholds t = new ProbeThresholds(2, 3);
    assertThat(t.record(false)).isEmpty();
    assertThat(t.record(false)).isEmpty();
    assertThat(t.record(true)).as("a success resets the failures").isEmpty();
    assertThat(t.record(false)).isEmpty();
    assertThat(t.record(false)).isEmpty();
    assertThat(t.record(false)).hasValue(false);
    assertThat(t.record(false)).as("and stays").hasValue(false);
    assertThat(t.record(true)).isEmpty();
    assertThat(t.record(true)).hasValue(true);
    assertThat(t.record(true)).hasValue(true);
  }

  @Test
  void unsetThresholdsMeanOne() {
    ProbeThresholds t = ProbeThresholds.of(Probe.getDefaultInstance());
    assertThat(t.record(false)).isEqualTo(Optional.of(false));
    assertThat(t.record(true)).isEqualTo(Optional.of(true));
  }
}
