package io.minik8s.apiserver.rest;

import io.minik8s.apiserver.storage.WatchCache;
import io.minik8s.client.api.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One watch over HTTP: the watch cache's events as newline-delimited JSON
 * ({@code {"type":"ADDED","object":{...}}}), each flushed on its own, ending with an {@code ERROR} event
 * carrying a Status when the watch fails (410 Expired: list again), or quietly when it is closed or its
 * {@code timeoutSeconds} pass.
 *
 * <p>The watcher starts before the response does ({@link #open}), so that a bad selector or version is
 * still an ordinary error response; until the transport attaches ({@link #start}) its events wait here and
 * delivery is paused. Afterwards the transport's back-pressure pauses and resumes delivery: a client that
 * stops reading fills its buffer, and then its queue in the cache, which cuts it off.
 *
 * <p>Thread-safe: the watcher's delivery thread and the transport meet under this object's lock, which is
 * never held while blocking (writes only enqueue).
 */
final class WatchStream implements RestResponse.StreamBody, WatchCache.Sink {
  /** Opens the cache's watcher with this stream as its sink. */
  interface Opener {
    WatchCache.Watcher open(WatchCache.Sink sink);
  }

  private final Function<WatchCache.Event, Object> render;
  private final Function<ApiException, Map<String, Object>> renderStatus;
  private final ObjectJson json;
  private final ScheduledExecutorService timer;
  private final long timeoutSeconds;
  private WatchCache.Watcher watcher;

  // Guarded by this.
  private RestResponse.ChunkSink out;
  private final List<byte[]> pending = new ArrayList<>();
  private boolean ended;
  private ScheduledFuture<?> timeout;

  /**
   * @param render an event's {@code object}: the object, or a one-row Table
   * @param timeoutSeconds 0: no limit
   */
  WatchStream(Function<WatchCache.Event, Object> render, Function<ApiException, Map<String, Object>> renderStatus,
      ObjectJson json, ScheduledExecutorService timer, long timeoutSeconds) {
    this.render = render;
    this.renderStatus = renderStatus;
    this.json = json;
    this.timer = timer;
    this.timeoutSeconds = timeoutSeconds;
  }

  /** Starts the watcher; its events wait until {@link #start}. Throws what the cache throws. */
  WatchStream open(Opener opener) {
    this.watcher = opener.open(this);
    return this;
  }

  @Override
  public Runnable start(RestResponse.ChunkSink sink) {
    // Registered first, so that the client draining its buffer while the pending events go out still resumes us.
    sink.onWritable(watcher::resume);
    boolean writable = true;
    synchronized (this) {
      out = sink;
      for (byte[] chunk : pending) {
        writable = sink.write(chunk);
      }
      pending.clear();
      if (ended) {
        sink.end();
        return () -> { };
      }
      if (timeoutSeconds > 0) {
        timeout = timer.schedule(watcher::close, timeoutSeconds, TimeUnit.SECONDS);
      }
    }
    if (writable) {
      watcher.resume();
    }
    return watcher::close;
  }

  @Override
  public boolean send(WatchCache.Event event) {
    return write(encode(event.type().name(), render.apply(event)));
  }

  @Override
  public void closed(ApiException error) {
    if (error != null) {
      write(encode("ERROR", renderStatus.apply(error)));
    }
    synchronized (this) {
      ended = true;
      if (timeout != null) {
        timeout.cancel(false);
      }
      if (out != null) {
        out.end();
      }
    }
  }

  private boolean write(byte[] line) {
    synchronized (this) {
      if (out == null) {
        pending.add(line);
        return false;
      }
      return out.write(line);
    }
  }

  /** {@code {"type":...,"object":...}} and a newline, type first as Kubernetes writes it. */
  private byte[] encode(String type, Object object) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("object", object);
    byte[] body = json.bytes(event);
    byte[] line = Arrays.copyOf(body, body.length + 1);
    line[body.length] = '\n';
    return line;
  }
}
