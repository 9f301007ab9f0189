package io.minik8s.kubelet.logs;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * One whole line a container wrote (its partial pieces joined), with the time of its first piece and
 * the stream it went to.
 *
 * @param stream "stdout" or "stderr"
 * @param text the line without its newline
 */
public record LogEntry(Instant time, String stream, String text) {
  public LogEntry {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(text, "text");
  }

  /** The line as {@code kubectl logs} prints it: the text, after the RFC 3339 time with {@code timestamps}. */
  public String render(boolean timestamps) {
    return timestamps ? DateTimeFormatter.ISO_INSTANT.format(time) + " " + text + "\n" : text + "\n";
  }
}
