package io.minik8s.client.process;

import ch.qos.logback.classic.Level;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Sends java.util.logging records (gRPC logs through it) to SLF4J, so every line has one format.
 * Replaces JUL's root handlers.
 */
final class JulToSlf4j extends Handler {
  private JulToSlf4j() {}

  static void install(Level level) {
    java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(new JulToSlf4j());
    root.setLevel(julLevel(level));
  }

  private static java.util.logging.Level julLevel(Level level) {
    switch (level.toInt()) {
      case Level.TRACE_INT: return java.util.logging.Level.FINEST;
      case Level.DEBUG_INT: return java.util.logging.Level.FINE;
      case Level.INFO_INT: return java.util.logging.Level.INFO;
      case Level.WARN_INT: return java.util.logging.Level.WARNING;
      default: return java.util.logging.Level.SEVERE;
    }
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null) {
      return;
    }
    Logger logger = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
    int v = record.getLevel().intValue();
    LoggingEventBuilder b;
    if (v >= java.util.logging.Level.SEVERE.intValue()) {
      b = logger.atError();
    } else if (v >= java.util.logging.Level.WARNING.intValue()) {
      b = logger.atWarn();
    } else if (v >= java.util.logging.Level.INFO.intValue()) {
      b = logger.atInfo();
    } else if (v >= java.util.logging.Level.FINE.intValue()) {
      b = logger.atDebug();
    } else {
      b = logger.atTrace();
    }
    String message = record.getMessage();
    if (message != null && record.getParameters() != null && record.getParameters().length > 0) {
      try {
        message = java.text.MessageFormat.format(message, record.getParameters());
      } catch (IllegalArgumentException ignored) {
        // keep the raw pattern
      }
    }
    b.setCause(record.getThrown()).log(message);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
