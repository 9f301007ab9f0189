package io.minik8s.client.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {
  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    Logging.configure("info", false);
  }

  @Test
  void textFormatWritesLogfmtToStderrAtTheGivenLevel() {
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Logging.configure("warn", false);
    Logger log = LoggerFactory.getLogger("io.minik8s.test");
    log.info("hidden");
    log.atWarn().addKeyValue("pod", "default/web").log("shown");
    java.util.logging.Logger.getLogger("io.grpc.Test").warning("from jul");
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("hidden");
    assertThat(out).containsPattern("ts=\\S+Z level=WARN logger=io.minik8s.test msg=\"shown\" pod=default/web");
    assertThat(out).contains("level=WARN logger=io.grpc.Test msg=\"from jul\"");
  }

  @Test
  void jsonFormatWritesOneObjectPerLine() {
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Logging.configure("DEBUG", true);
    LoggerFactory.getLogger("io.minik8s.test").debug("hello {}", "world");
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("\"level\":\"DEBUG\",\"logger\":\"io.minik8s.test\",\"msg\":\"hello world\"}");
  }

  @Test
  void unknownLevelIsRefused() {
    assertThatThrownBy(() -> Logging.configure("loud", false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown log level \"loud\"");
  }
}
