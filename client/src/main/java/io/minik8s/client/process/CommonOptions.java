package io.minik8s.client.process;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The flags every minik8s process takes, as a picocli mixin:
 * {@code @Mixin CommonOptions common;} then {@code common.configureLogging()}.
 *
 * <p>Bad values are rejected while parsing, with picocli's usual "Invalid value for option" message.
 */
public final class CommonOptions {
  /** How log lines are written. */
  public enum LogFormat { TEXT, JSON }

  @Option(names = "--log-level", defaultValue = "info", converter = LevelConverter.class,
      description = "Log level: trace, debug, info, warn, error (default: ${DEFAULT-VALUE}).")
  private String logLevel = "info";

  @Option(names = "--log-format", defaultValue = "text", converter = FormatConverter.class,
      description = "Log format: text (logfmt) or json (default: ${DEFAULT-VALUE}).")
  private LogFormat logFormat = LogFormat.TEXT;

  @Option(names = "--health-port", converter = PortConverter.class,
      description = "Port of /healthz, /readyz and /metrics (0: any free port; default: the component's).")
  private Integer healthPort;

  @Option(names = "--health-bind-address", defaultValue = "0.0.0.0",
      description = "Address the health endpoint listens on (default: ${DEFAULT-VALUE}).")
  private String healthBindAddress = "0.0.0.0";

  public String logLevel() {
    return logLevel;
  }

  public LogFormat logFormat() {
    return logFormat;
  }

  /** The port given with {@code --health-port}, else the component's own default. */
  public int healthPort(int componentDefault) {
    return healthPort != null ? healthPort : componentDefault;
  }

  public String healthBindAddress() {
    return healthBindAddress;
  }

  /** Applies {@code --log-level} and {@code --log-format} ({@link Logging#configure}). */
  public void configureLogging() {
    Logging.configure(logLevel, logFormat == LogFormat.JSON);
  }

  static final class LevelConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        Logging.parseLevel(value);
        return value;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class FormatConverter implements ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "text":
        case "logfmt": return LogFormat.TEXT;
        case "json": return LogFormat.JSON;
        default: throw new TypeConversionException("unknown log format \"" + value + "\" (expected text or json)");
      }
    }
  }

  static final class PortConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int port;
      try {
        port = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new TypeConversionException("not a port number: \"" + value + "\"");
      }
      if (port < 0 || port > 65535) {
        throw new TypeConversionException("port out of range 0-65535: " + port);
      }
      return port;
    }
  }
}
