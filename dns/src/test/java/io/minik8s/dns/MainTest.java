package io.minik8s.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags of bin/dns that decide where it listens and under which Service it registers. */
class MainTest {
  static Main parse(String... args) {
    Main main = new Main();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void withoutAServiceItListensOnEveryAddressAndRegistersNothing() {
    Main main = parse();
    assertThat(main.listenAddress()).isEqualTo(new InetSocketAddress("0.0.0.0", 53));
    assertThat(main.registration(main.listenAddress())).isNull();
  }

  @Test
  void theAdvertisedAddressIsWhereItListensUnlessToldOtherwise() {
    Main main = parse("--service", "kube-system/kube-dns", "--service-ip", "10.96.0.10",
        "--advertise-address", "192.0.2.2");
    assertThat(main.listenAddress()).isEqualTo(new InetSocketAddress("192.0.2.2", 53));
    assertThat(main.registration(main.listenAddress()))
        .isEqualTo(new DnsProcess.Registration("kube-system", "kube-dns", "10.96.0.10", "192.0.2.2"));

    Main otherPort = parse("--service", "kube-system/kube-dns", "--advertise-address", "192.0.2.2",
        "--listen", "192.0.2.2:5353");
    assertThat(otherPort.listenAddress()).isEqualTo(new InetSocketAddress("192.0.2.2", 5353));
    assertThat(otherPort.registration(otherPort.listenAddress()).clusterIp()).isEmpty();

    Main fromListen = parse("--service", "kube-system/kube-dns", "--listen", "192.0.2.7:53");
    assertThat(fromListen.registration(fromListen.listenAddress()).address()).isEqualTo("192.0.2.7");
  }

  @Test
  void anAddressPodsCannotReachOrAMalformedServiceIsRefused() {
    Main wildcard = parse("--service", "kube-system/kube-dns");
    assertThatThrownBy(() -> wildcard.registration(wildcard.listenAddress()))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--advertise-address");
    Main loopback = parse("--service", "kube-system/kube-dns", "--advertise-address", "127.0.0.1");
    assertThatThrownBy(() -> loopback.registration(loopback.listenAddress()))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("127.0.0.1");
    Main noNamespace = parse("--service", "kube-dns", "--advertise-address", "192.0.2.2");
    assertThatThrownBy(() -> noNamespace.registration(noNamespace.listenAddress()))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("namespace/name");
    Main ipWithoutService = parse("--service-ip", "10.96.0.10");
    assertThatThrownBy(() -> ipWithoutService.registration(ipWithoutService.listenAddress()))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("need --service");
  }
}
