package io.minik8s.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerListTest {
  @Test
  void oneAddressIsUsedAsItIs() {
    assertThat(ServerList.target("10.0.0.1:6443")).isEqualTo("10.0.0.1:6443");
    assertThat(ServerList.parse(" 10.0.0.1:6443 ,")).containsExactly("10.0.0.1:6443");
  }

  @Test
  void severalAddressesBecomeOneTargetOfOurResolver() {
    assertThat(ServerList.target("10.0.0.1:6443, cp-2:6443"))
        .isEqualTo("minik8s-servers:///10.0.0.1:6443,cp-2:6443");
    assertThat(ServerList.parse("a:1,b:2")).containsExactly("a:1", "b:2");
  }

  @Test
  void badEntriesAreNamed() {
    assertThatThrownBy(() -> ServerList.target("a:1,b")).hasMessageContaining("'b' is not HOST:PORT");
    assertThatThrownBy(() -> ServerList.target("a:x")).hasMessageContaining("'a:x' has a port that is not a number");
    assertThatThrownBy(() -> ServerList.target("a:70000")).hasMessageContaining("out of 1..65535");
    assertThatThrownBy(() -> ServerList.target(" , ")).hasMessageContaining("no API server address");
  }
}
