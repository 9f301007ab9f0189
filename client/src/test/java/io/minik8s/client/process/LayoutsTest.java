package io.minik8s.client.process;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LayoutsTest {
  private final LoggerContext context = new LoggerContext();

  LayoutsTest() {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  @Test
  void logfmtLineHasFixedFieldsThenKeyValues() {
    LoggingEvent e = event("pod \"web\" bound", null);
    e.addKeyValuePair(new KeyValuePair("pod", "default/web"));
    e.addKeyValuePair(new KeyValuePair("node", "node 1"));
    e.addKeyValuePair(new KeyValuePair("attempts", 3));
    e.addKeyValuePair(new KeyValuePair("empty", ""));
    String line = new LogfmtLayout().doLayout(e);
    assertThat(line).isEqualTo("ts=2024-05-01T10:00:00.123Z level=INFO logger=io.minik8s.scheduler.Scheduler "
        + "msg=\"pod \\\"web\\\" bound\" pod=default/web node=\"node 1\" attempts=3 empty=\"\""
        + System.lineSeparator());
  }

  @Test
  void logfmtPutsTheErrorOnTheLineAndTheStackBelow() {
    String out = new LogfmtLayout().doLayout(event("failed", new IllegalStateException("multi\nline")));
    String[] lines = out.split(System.lineSeparator());
    assertThat(lines[0]).endsWith("msg=\"failed\" error=\"java.lang.IllegalStateException: multi\\nline\"");
    assertThat(lines[1]).startsWith("java.lang.IllegalStateException: multi");
    assertThat(out).contains("\tat io.minik8s.client.process.LayoutsTest");
  }

  @Test
  void jsonLinesAreValidJsonWithTypedValues() throws Exception {
    LoggingEvent e = event("quote \" backslash \\ tab \t", new RuntimeException("boom"));
    e.addKeyValuePair(new KeyValuePair("count", 2));
    e.addKeyValuePair(new KeyValuePair("ok", true));
    e.addKeyValuePair(new KeyValuePair("key", "ns/name"));
    String line = new JsonLinesLayout().doLayout(e);
    assertThat(line).endsWith("}" + System.lineSeparator());
    assertThat(line.trim()).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("ts").asText()).isEqualTo("2024-05-01T10:00:00.123Z");
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("logger").asText()).isEqualTo("io.minik8s.scheduler.Scheduler");
    assertThat(json.get("msg").asText()).isEqualTo("quote \" backslash \\ tab \t");
    assertThat(json.get("count").isInt()).isTrue();
    assertThat(json.get("ok").isBoolean()).isTrue();
    assertThat(json.get("key").asText()).isEqualTo("ns/name");
    assertThat(json.get("error").asText()).isEqualTo("java.lang.RuntimeException: boom");
    assertThat(json.get("stack").asText()).contains("at io.minik8s.client.process.LayoutsTest");
  }

  private LoggingEvent event(String message, Throwable error) {
    LoggingEvent e = new LoggingEvent(getClass().getName(), context.getLogger("io.minik8s.scheduler.Scheduler"),
        Level.INFO, message, error, null);
    e.setInstant(Instant.parse("2024-05-01T10:00:00.123Z"));
    return e;
  }
}
