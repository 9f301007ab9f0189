package io.minik8s.apiserver.rest;

import io.minik8s.apiserver.kubelet.PodLogProxy;
import io.minik8s.client.api.ApiException;
import java.util.Arrays;

/**
 * pods/log over HTTP: a container's log, already opened on its kubelet, copied as plain text chunks on a
 * thread of the log proxy. The copy waits while the client's connection is full and stops when the client
 * goes away (the log is closed, which ends the kubelet's stream too).
 *
 * <p>Thread-safe: the copy thread and the transport meet under this object's monitor.
 */
final class LogStream implements RestResponse.StreamBody {
  private final PodLogProxy.Log log;
  // Guarded by this.
  private boolean writable = true;
  private boolean stopped;
  /** Counts the transport's "writable again" signals, so that one racing with a full write is not lost. */
  private long signals;

  LogStream(PodLogProxy.Log log) {
    this.log = log;
  }

  @Override
  public Runnable start(RestResponse.ChunkSink sink) {
    sink.onWritable(() -> {
      synchronized (this) {
        signals++;
        writable = true;
        notifyAll();
      }
    });
    log.copyInBackground(new PodLogProxy.LogSink() {
      @Override
      public boolean write(byte[] data, int length) {
        if (!awaitWritable()) {
          return false;
        }
        long before;
        synchronized (LogStream.this) {
          before = signals;
        }
        boolean more = sink.write(Arrays.copyOf(data, length));
        synchronized (LogStream.this) {
          if (!more && signals == before) {
            writable = false;
          }
        }
        return true;
      }

      @Override
      public void end(ApiException error) {
        sink.end();
      }
    });
    return () -> {
      synchronized (this) {
        stopped = true;
        notifyAll();
      }
      log.close();
    };
  }

  /** Waits until the client can take more; false when the stream was stopped. */
  private synchronized boolean awaitWritable() {
    while (!writable && !stopped) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stopped;
  }
}
