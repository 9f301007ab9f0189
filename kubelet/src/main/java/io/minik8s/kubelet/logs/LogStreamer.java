package io.minik8s.kubelet.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Copies a container's CRI log file to a client as plain text, as {@code kubectl logs} shows it: the
 * whole log or its last {@code tailLines} lines, then, with {@code follow}, every new line as the
 * runtime appends it, until the client goes away or the container has stopped and its file is drained.
 * Following polls the file every {@code pollInterval} (a log file has no change notification that works
 * across runtimes). Thread-safe: each call has its own state.
 */
public final class LogStreamer {
  private static final int READ_BUFFER = 64 * 1024;
  /** Text is handed to the sink in pieces of about this size. */
  private static final int CHUNK_CHARS = 32 * 1024;

  /** Where the text goes. */
  public interface Sink {
    /** Sends text; false when the client is gone (streaming stops). */
    boolean write(String text);

    /** Whether the client is still there (checked while nothing new was written). */
    boolean open();

    /**
     * Called once, before any text, when what the log held has been read (or the file is known not to exist
     * yet): whatever the runtime appends from then on reaches a follower, so a client told "streaming" only now
     * loses no line, even with {@code tailLines=0}.
     */
    default void opened() {}
  }

  private final ContainerLogs logs;
  private final Duration pollInterval;
  private final Duration runningCheckInterval;

  public LogStreamer(ContainerLogs logs, Duration pollInterval, Duration runningCheckInterval) {
    this.logs = logs;
    this.pollInterval = pollInterval;
    this.runningCheckInterval = runningCheckInterval;
  }

  /**
   * Streams the log; returns when done (not following, client gone, or container stopped).
   *
   * @throws InterruptedException when the server shuts down during a follow
   */
  public void stream(LogRequest request, ContainerLogs.Location location, Sink sink)
      throws IOException, InterruptedException {
    FileChannel file;
    try {
      file = FileChannel.open(location.path(), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      sink.opened();
      return; // the container has not written anything yet (or its log was removed)
    }
    try (file) {
      CriLogDecoder decoder = new CriLogDecoder();
      ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
      List<LogEntry> initial = readAvailable(file, decoder, buffer);
      if (request.tailLines() >= 0 && initial.size() > request.tailLines()) {
        initial = initial.subList(initial.size() - (int) request.tailLines(), initial.size());
      }
      sink.opened();
      if (!send(initial, request.timestamps(), sink) || !request.follow()) {
        return;
      }
      long nextRunningCheck = System.nanoTime() + runningCheckInterval.toNanos();
      while (true) {
        List<LogEntry> fresh = readAvailable(file, decoder, buffer);
        if (!fresh.isEmpty()) {
          if (!send(fresh, request.timestamps(), sink)) {
            return;
          }
          continue;
        }
        if (!sink.open()) {
          return;
        }
        if (System.nanoTime() >= nextRunningCheck) {
          if (!logs.running(location.containerId())) {
            send(readAvailable(file, decoder, buffer), request.timestamps(), sink);
            return;
          }
          nextRunningCheck = System.nanoTime() + runningCheckInterval.toNanos();
        }
        Thread.sleep(pollInterval.toMillis());
      }
    }
  }

  /** Reads from the channel's position to its end; returns the entries completed. */
  private static List<LogEntry> readAvailable(FileChannel file, CriLogDecoder decoder, ByteBuffer buffer)
      throws IOException {
    List<LogEntry> out = new ArrayList<>();
    while (true) {
      buffer.clear();
      int n = file.read(buffer);
      if (n <= 0) {
        return out;
      }
      out.addAll(decoder.feed(buffer.array(), 0, n));
    }
  }

  private static boolean send(List<LogEntry> entries, boolean timestamps, Sink sink) {
    Deque<LogEntry> queue = new ArrayDeque<>(entries);
    StringBuilder chunk = new StringBuilder();
    while (!queue.isEmpty()) {
      chunk.append(queue.poll().render(timestamps));
      if (chunk.length() >= CHUNK_CHARS) {
        if (!sink.write(chunk.toString())) {
          return false;
        }
        chunk.setLength(0);
      }
    }
    return chunk.length() == 0 || sink.write(chunk.toString());
  }
}
