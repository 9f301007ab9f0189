package io.minik8s.client.process;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code ts}, {@code level}, {@code logger}, {@code msg}, then the event's
 * key-value pairs and MDC entries (numbers and booleans unquoted), then {@code error} and
 * {@code stack} for an exception.
 */
public final class JsonLinesLayout extends LayoutBase<ILoggingEvent> {
  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder b = new StringBuilder(200);
    b.append("{\"ts\":\"").append(LogfmtLayout.TIMESTAMP.format(event.getInstant())).append('"');
    b.append(",\"level\":\"").append(event.getLevel()).append('"');
    field(b, "logger", event.getLoggerName());
    field(b, "msg", event.getFormattedMessage());
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair kv : event.getKeyValuePairs()) {
        field(b, kv.key, kv.value);
      }
    }
    for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
      field(b, e.getKey(), e.getValue());
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      field(b, "error", error.getClassName() + ": " + error.getMessage());
      field(b, "stack", ThrowableProxyUtil.asString(error));
    }
    b.append('}').append(CoreConstants.LINE_SEPARATOR);
    return b.toString();
  }

  private static void field(StringBuilder b, String key, Object value) {
    b.append(',');
    string(b, key);
    b.append(':');
    if (value instanceof Number || value instanceof Boolean) {
      b.append(value);
    } else {
      string(b, String.valueOf(value));
    }
  }

  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default:
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    b.append('"');
  }
}
