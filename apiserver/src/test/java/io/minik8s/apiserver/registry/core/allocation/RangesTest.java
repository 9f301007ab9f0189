package io.minik8s.apiserver.registry.core.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RangesTest {

  @Test
  void ipv4RangeNumbersItsUsableAddresses() {
    Ipv4Range r = Ipv4Range.parse("10.96.0.0/12");
    assertThat(r.size()).isEqualTo((1L << 20) - 2);
    assertThat(r.address(0)).isEqualTo("10.96.0.1");
    assertThat(r.address(r.size() - 1)).isEqualTo("10.111.255.254");
    assertThat(r.offsetOf("10.96.0.10")).contains(9L);
    assertThat(r.contains("10.96.0.0")).as("network address").isFalse();
    assertThat(r.contains("10.111.255.255")).as("broadcast address").isFalse();
    assertThat(r.contains("10.112.0.1")).isFalse();
    assertThat(r.contains("10.96.0.300")).isFalse();
    assertThat(r.contains("fd00::1")).isFalse();
    assertThat(Ipv4Range.parse("10.96.3.7/24").address(0)).isEqualTo("10.96.3.1");
    assertThatThrownBy(() -> Ipv4Range.parse("10.96.0.0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ipv4Range.parse("10.96.0.0/31")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void portRangeIsInclusive() {
    PortRange r = PortRange.parse("30000-32767");
    assertThat(r.size()).isEqualTo(2768);
    assertThat(r.contains(30000)).isTrue();
    assertThat(r.contains(32767)).isTrue();
    assertThat(r.contains(32768)).isFalse();
    assertThatThrownBy(() -> PortRange.parse("32767-30000")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PortRange.parse("a-b")).isInstanceOf(IllegalArgumentException.class);
  }
}
