package io.minik8s.client.process;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One logfmt line per event: {@code ts=2024-05-01T10:00:00.123Z level=INFO logger=... msg="..."},
 * then the event's key-value pairs and MDC entries, then {@code error="..."} for an exception, whose
 * stack trace follows on indented lines. Values are quoted when they contain spaces, quotes or
 * {@code =}, or are empty; quotes, backslashes and line breaks inside are escaped.
 */
public final class LogfmtLayout extends LayoutBase<ILoggingEvent> {
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder b = new StringBuilder(160);
    b.append("ts=").append(TIMESTAMP.format(event.getInstant()));
    b.append(" level=").append(event.getLevel());
    b.append(" logger=").append(event.getLoggerName());
    b.append(" msg=");
    quoted(b, event.getFormattedMessage());
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
      b.append(CoreConstants.LINE_SEPARATOR);
      b.append(ThrowableProxyUtil.asString(error));
    }
    b.append(CoreConstants.LINE_SEPARATOR);
    return b.toString();
  }

  private static void field(StringBuilder b, String key, Object value) {
    b.append(' ').append(key).append('=');
    String s = String.valueOf(value);
    if (needsQuotes(s)) {
      quoted(b, s);
    } else {
      b.append(s);
    }
  }

  private static boolean needsQuotes(String s) {
    if (s.isEmpty()) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c == '=' || c == '"' || c == '\\') {
        return true;
      }
    }
    return false;
  }

  private static void quoted(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': b.append("\\\""); break;
        case '\\': b.append("\\\\"); break;
        case '\n': b.append("\\n"); break;
        case '\r': b.append("\\r"); break;
        case '\t': b.append("\\t"); break;
        default: b.append(c);
      }
    }
    b.append('"');
  }
}
