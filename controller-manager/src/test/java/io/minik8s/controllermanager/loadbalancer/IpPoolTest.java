package io.minik8s.controllermanager.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IpPoolTest {
  @Test
  void cidrsGiveTheirHostsAndRangesEveryAddress() {
    IpPool pool = IpPool.parse("192.168.50.0/30, 10.0.0.7-10.0.0.9,172.16.0.4/31,172.16.0.9/32");

    assertThat(pool.size()).isEqualTo(2 + 3 + 2 + 1);
    assertThat(pool.toString()).isEqualTo("10.0.0.7-10.0.0.9,172.16.0.4-172.16.0.5,172.16.0.9,192.168.50.1-192.168.50.2");
    assertThat(pool.contains("192.168.50.0")).as("network address").isFalse();
    assertThat(pool.contains("192.168.50.3")).as("broadcast address").isFalse();
    assertThat(pool.contains("192.168.50.1")).isTrue();
    assertThat(pool.contains("10.0.0.9")).isTrue();
    assertThat(pool.contains("10.0.0.10")).isFalse();
    assertThat(pool.contains("172.16.0.4")).isTrue();
    assertThat(pool.contains("not-an-ip")).isFalse();
    assertThat(pool.contains("::1")).isFalse();
  }

  @Test
  void overlappingAndAdjacentItemsAreMerged() {
    IpPool pool = IpPool.parse("10.0.0.0/29,10.0.0.5-10.0.0.12,10.0.0.13-10.0.0.13");

    assertThat(pool.toString()).isEqualTo("10.0.0.1-10.0.0.13");
    assertThat(pool.size()).isEqualTo(13);
    assertThat(IpPool.parse("10.0.0.0/8").size()).isEqualTo((1L << 24) - 2);
  }

  @Test
  void blankIsAnEmptyPool() {
    assertThat(IpPool.parse("").isEmpty()).isTrue();
    assertThat(IpPool.parse("  ").size()).isZero();
    assertThat(IpPool.parse(null)).isEqualTo(IpPool.empty());
  }

  @Test
  void badItemsAreNamedWithTheReason() {
    assertThatThrownBy(() -> IpPool.parse("10.0.0.0/24,10.0.1.256/24"))
        .hasMessageContaining("\"10.0.1.256/24\"").hasMessageContaining("\"10.0.1.256\" is not an IPv4 address");
    assertThatThrownBy(() -> IpPool.parse("10.0.0.0/33")).hasMessageContaining("prefix length \"33\"");
    assertThatThrownBy(() -> IpPool.parse("10.0.0.0/")).hasMessageContaining("prefix length \"\"");
    assertThatThrownBy(() -> IpPool.parse("10.0.0.5/24")).hasMessageContaining("host bits set")
        .hasMessageContaining("did you mean 10.0.0.0/24?");
    assertThatThrownBy(() -> IpPool.parse("10.0.0.9-10.0.0.1")).hasMessageContaining("\"10.0.0.9-10.0.0.1\"")
        .hasMessageContaining("first address is after the last");
    assertThatThrownBy(() -> IpPool.parse("fd00::/64")).hasMessageContaining("IPv6 pools are not supported");
    assertThatThrownBy(() -> IpPool.parse("10.0.0.1")).hasMessageContaining("neither a CIDR");
    assertThatThrownBy(() -> IpPool.parse("10.0.0.0/30,,10.0.1.0/30")).hasMessageContaining("empty item");
    assertThatThrownBy(() -> IpPool.parse("010.0.0.1-10.0.0.2")).hasMessageContaining("\"010.0.0.1\"");
    assertThatThrownBy(() -> IpPool.parse("example.com/32")).hasMessageContaining("\"example.com\"");
  }

  @Test
  void addressesParseStrictly() {
    assertThat(IpPool.parseAddress("255.255.255.255")).hasValue(0xFFFFFFFFL);
    assertThat(IpPool.parseAddress("0.0.0.0")).hasValue(0);
    assertThat(IpPool.format(0xC0A80001L)).isEqualTo("192.168.0.1");
    for (String bad : List.of("1.2.3", "1.2.3.4.5", "1.2.3.-4", "1.2.3.+4", "1.2.3.4 ", "", "1..3.4", "01.2.3.4")) {
      assertThat(IpPool.parseAddress(bad)).as(bad).isEqualTo(OptionalLong.empty());
    }
  }

  @Test
  void lowestFreeSkipsUsedAddressesAcrossRanges() {
    IpPool pool = IpPool.parse("10.0.0.1-10.0.0.3,10.0.1.0/30");
    TreeSet<Long> used = new TreeSet<>();
    assertThat(free(pool, used)).isEqualTo("10.0.0.1");
    used.add(IpPool.parseAddress("10.0.0.2").getAsLong());
    assertThat(free(pool, used)).isEqualTo("10.0.0.1");
    used.add(IpPool.parseAddress("10.0.0.1").getAsLong());
    used.add(IpPool.parseAddress("9.9.9.9").getAsLong()); // outside the pool: ignored
    assertThat(free(pool, used)).isEqualTo("10.0.0.3");
    used.add(IpPool.parseAddress("10.0.0.3").getAsLong());
    assertThat(free(pool, used)).isEqualTo("10.0.1.1");
    used.add(IpPool.parseAddress("10.0.1.1").getAsLong());
    used.add(IpPool.parseAddress("10.0.1.2").getAsLong());
    assertThat(pool.lowestFree(used)).isEmpty();
  }

  private static String free(IpPool pool, TreeSet<Long> used) {
    return IpPool.format(pool.lowestFree(used).orElseThrow());
  }
}
