package io.minik8s.kubelet.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.Probe;
import org.junit.jupiter.api.Test;

class ProbeKindTest {
  private static final Probe PROBE = Probe.newBuilder().setPeriodSeconds(1).build();
  private final Container plain = Container.newBuilder().setName("c").build();

  @Test
  void aStartupProbeRunsAloneUntilItSucceedsAndNeverAfter() {
    Container c = plain.toBuilder().setStartupProbe(PROBE).setReadinessProbe(PROBE).setLivenessProbe(PROBE).build();
    assertThat(ProbeKind.active(c, false)).containsExactly(ProbeKind.STARTUP);
    assertThat(ProbeKind.active(c, true)).containsExactly(ProbeKind.READINESS, ProbeKind.LIVENESS);
  }

  @Test
  void withoutAStartupProbeTheOthersRunAtOnce() {
    Container c = plain.toBuilder().setLivenessProbe(PROBE).build();
    assertThat(ProbeKind.active(c, false)).containsExactly(ProbeKind.LIVENESS);
    assertThat(ProbeKind.active(plain, false)).isEmpty();
    assertThat(ProbeKind.active(plain.toBuilder().setStartupProbe(PROBE).build(), true)).isEmpty();
  }

  @Test
  void eachKindReadsItsOwnProbe() {
    Probe startup = PROBE.toBuilder().setFailureThreshold(30).build();
    Container c = plain.toBuilder().setStartupProbe(startup).setReadinessProbe(PROBE).build();
    assertThat(ProbeKind.STARTUP.probeOf(c)).isEqualTo(startup);
    assertThat(ProbeKind.READINESS.probeOf(c)).isEqualTo(PROBE);
  }
}
