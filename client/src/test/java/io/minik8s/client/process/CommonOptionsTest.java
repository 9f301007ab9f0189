package io.minik8s.client.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class CommonOptionsTest {
  @Command(name = "demo")
  static final class Demo {
    @Mixin
    CommonOptions common;
  }

  @Test
  void defaults() {
    Demo d = parse();
    assertThat(d.common.logLevel()).isEqualTo("info");
    assertThat(d.common.logFormat()).isEqualTo(CommonOptions.LogFormat.TEXT);
    assertThat(d.common.healthPort(10259)).isEqualTo(10259);
    assertThat(d.common.healthBindAddress()).isEqualTo("0.0.0.0");
  }

  @Test
  void parsesEveryFlag() {
    Demo d = parse("--log-level=debug", "--log-format", "json", "--health-port=0",
        "--health-bind-address=127.0.0.1");
    assertThat(d.common.logLevel()).isEqualTo("debug");
    assertThat(d.common.logFormat()).isEqualTo(CommonOptions.LogFormat.JSON);
    assertThat(d.common.healthPort(10259)).isZero();
    assertThat(d.common.healthBindAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void badValuesAreRefusedWhileParsing() {
    assertThatThrownBy(() -> parse("--log-level=loud")).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--log-level").hasMessageContaining("unknown log level \"loud\"");
    assertThatThrownBy(() -> parse("--log-format=xml")).hasMessageContaining("unknown log format \"xml\"");
    assertThatThrownBy(() -> parse("--health-port=70000")).hasMessageContaining("port out of range");
    assertThatThrownBy(() -> parse("--health-port=x")).hasMessageContaining("not a port number");
  }

  @Test
  void usageListsTheFlags() {
    String usage = new CommandLine(new Demo()).getUsageMessage();
    assertThat(usage).contains("--log-level", "--log-format", "--health-port", "--health-bind-address");
  }

  private static Demo parse(String... args) {
    Demo d = new Demo();
    new CommandLine(d).parseArgs(args);
    return d;
  }
}
