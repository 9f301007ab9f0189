package io.minik8s.kubelet.logs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the CRI log format, incrementally: bytes go in as the runtime appends them to the file,
 * whole {@link LogEntry}s come out.
 *
 * <p>The format: one record per line, {@code <RFC 3339 nano time> <stdout|stderr> <F|P> <text>}. A
 * line longer than the runtime's buffer is split into records tagged {@code P} (partial) ending with
 * one tagged {@code F} (full); the decoder joins them, per stream. Bytes after the last newline are
 * kept until the rest of their record arrives. A record that does not parse is passed through as a
 * stdout line of its raw text, so nothing a container wrote is lost. Not thread-safe: one per reader.
 */
public final class CriLogDecoder {
  private final ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
  private final Map<String, Partial> partials = new HashMap<>();

  private record Partial(Instant time, StringBuilder text) {}

  /** Decodes {@code len} bytes from {@code bytes}; returns the entries completed by them. */
  public List<LogEntry> feed(byte[] bytes, int off, int len) {
    List<LogEntry> out = new ArrayList<>();
    int lineStart = off;
    for (int i = off; i < off + len; i++) {
      if (bytes[i] == '\n') {
        String line;
        if (pendingBytes.size() > 0) {
          pendingBytes.write(bytes, lineStart, i - lineStart);
          line = pendingBytes.toString(StandardCharsets.UTF_8);
          pendingBytes.reset();
        } else {
          line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
        }
        record(line, out);
        lineStart = i + 1;
      }
    }
    pendingBytes.write(bytes, lineStart, off + len - lineStart);
    return out;
  }

  public List<LogEntry> feed(byte[] bytes) {
    return feed(bytes, 0, bytes.length);
  }

  /** Parses one record; exposed for tests. */
  static Record parse(String line) {
    int s1 = line.indexOf(' ');
    int s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
    if (s2 < 0) {
      return null;
    }
    Instant time;
    try {
      time = Instant.parse(line.substring(0, s1));
    } catch (DateTimeParseException e) {
      return null;
    }
    String stream = line.substring(s1 + 1, s2);
    if (!stream.equals("stdout") && !stream.equals("stderr")) {
      return null;
    }
    // The tag field may carry more tags after a ':' (the CRI reserves that); only F/P matter here.
    int s3 = line.indexOf(' ', s2 + 1);
    String tags = s3 < 0 ? line.substring(s2 + 1) : line.substring(s2 + 1, s3);
    String text = s3 < 0 ? "" : line.substring(s3 + 1);
    boolean partial = tags.split(":")[0].equals("P");
    return new Record(time, stream, partial, text);
  }

  /** One record of the file. */
  record Record(Instant time, String stream, boolean partial, String text) {}

  private void record(String line, List<LogEntry> out) {
    Record r = parse(line);
    if (r == null) {
      out.add(new LogEntry(Instant.EPOCH, "stdout", line));
      return;
    }
    Partial p = partials.get(r.stream());
    if (r.partial()) {
      if (p == null) {
        partials.put(r.stream(), new Partial(r.time(), new StringBuilder(r.text())));
      } else {
        p.text().append(r.text());
      }
      return;
    }
    if (p != null) {
      partials.remove(r.stream());
      out.add(new LogEntry(p.time(), r.stream(), p.text().append(r.text()).toString()));
    } else {
      out.add(new LogEntry(r.time(), r.stream(), r.text()));
    }
  }
}
