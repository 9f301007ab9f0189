package io.minik8s.client.process;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up logging for a process in code (no logback.xml): one appender on stderr writing either
 * logfmt lines ({@code ts=... level=INFO logger=... msg="..." key=value}) or JSON lines, with SLF4J
 * key-value pairs and MDC entries as fields. java.util.logging (used by gRPC) is routed into it.
 *
 * <p>Netty and gRPC stay at INFO when the level is DEBUG: their debug output drowns everything else
 * (TRACE shows it).
 */
public final class Logging {
  private Logging() {}

  /**
   * Replaces the whole logging configuration.
   *
   * @param level TRACE, DEBUG, INFO, WARN or ERROR (any case)
   * @param json JSON lines instead of logfmt
   * @throws IllegalArgumentException for an unknown level
   */
  public static void configure(String level, boolean json) {
    Level rootLevel = parseLevel(level);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();

    LayoutBase<ILoggingEvent> layout = json ? new JsonLinesLayout() : new LogfmtLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(rootLevel);
    root.addAppender(appender);
    if (rootLevel == Level.DEBUG) {
      context.getLogger("io.netty").setLevel(Level.INFO);
      context.getLogger("io.grpc").setLevel(Level.INFO);
    }
    JulToSlf4j.install(rootLevel);
  }

  /** The logback level for a flag value. */
  public static Level parseLevel(String level) {
    switch (level == null ? "" : level.toUpperCase(Locale.ROOT)) {
      case "TRACE": return Level.TRACE;
      case "DEBUG": return Level.DEBUG;
      case "INFO": return Level.INFO;
      case "WARN":
      case "WARNING": return Level.WARN;
      case "ERROR": return Level.ERROR;
      default:
        throw new IllegalArgumentException("unknown log level \"" + level
            + "\" (expected trace, debug, info, warn or error)");
    }
  }
}
