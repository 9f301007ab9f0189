package io.minik8s.apiserver.kubelet;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.minik8s.api.LogChunk;
import io.minik8s.api.LogsRequest;
import io.minik8s.apiserver.registry.Registries;
import io.minik8s.client.api.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * pods/log: finds the pod's node and the kubelet's log port (the Node's InternalIP and
 * {@code status.daemonEndpoints.kubeletEndpoint.Port}), asks that kubelet for the container's log and
 * streams it back, so that a user needs one address only. A follow lasts until the client cancels or
 * the kubelet ends the stream.
 */
public final class PodLogProxy implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;

  private final ContainerTargets targets;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "pod-log-stream");
    t.setDaemon(true);
    return t;
  });

  public PodLogProxy(Registries registries) {
    this.targets = new ContainerTargets(registries);
  }

  /** The gRPC Logs call: opens the log and copies it to the stream, both on a thread of the proxy's own. */
  public void stream(LogsRequest request, ServerCallStreamObserver<LogChunk> response) {
    URI uri = kubeletUri(request);
    // gRPC takes the cancel handler only on the calling thread; the copy runs on its own thread.
    AtomicReference<Log> open = new AtomicReference<>();
    response.setOnCancelHandler(() -> {
      Log log = open.get();
      if (log != null) {
        log.close();
      }
    });
    streams.execute(() -> {
      try {
        open.set(open(uri, request.getName()));
        if (response.isCancelled()) {
          open.get().close();
          return;
        }
        open.get().copy(new LogSink() {
          @Override
          public boolean write(byte[] data, int length) {
            if (response.isCancelled()) {
              return false;
            }
            response.onNext(LogChunk.newBuilder().setData(ByteString.copyFrom(data, 0, length)).build());
            return true;
          }

          @Override
          public void end(ApiException error) {
            if (!response.isCancelled()) {
              if (error == null) {
                response.onCompleted();
              } else {
                response.onError(error.toGrpc());
              }
            }
          }
        });
      } catch (ApiException e) {
        if (!response.isCancelled()) {
          response.onError(e.toGrpc());
        }
      } catch (RuntimeException e) {
        // the client went away while we were writing
      }
    });
  }

  /**
   * Opens a container's log on its kubelet (blocking): NotFound, BadRequest or ServiceUnavailable as an
   * {@link ApiException} before anything is streamed.
   */
  public Log open(LogsRequest request) {
    return open(kubeletUri(request), request.getName());
  }

  /** Where the chunks of a log go. */
  public interface LogSink {
    /** Takes {@code length} bytes of {@code data} (which is reused afterwards); false: stop, the client is gone. */
    boolean write(byte[] data, int length);

    /** The log ended: null when it was read to its end (or the sink stopped it). Called once. */
    void end(ApiException error);
  }

  /** A container's log being read from its kubelet. Closing it ends the copy. */
  public final class Log implements AutoCloseable {
    private final InputStream body;
    private final String pod;

    private Log(InputStream body, String pod) {
      this.body = body;
      this.pod = pod;
    }

    /** Copies the log to {@code sink} on the calling thread, until its end, the sink stops or {@link #close}. */
    public void copy(LogSink sink) {
      ApiException error = null;
      try {
        byte[] buffer = new byte[CHUNK];
        int n;
        while ((n = body.read(buffer)) >= 0) {
          if (!sink.write(buffer, n)) {
            break;
          }
        }
      } catch (IOException e) {
        error = ApiException.unavailable("reading the logs of pod " + pod + " from its kubelet failed: " + e, e);
      } finally {
        close();
      }
      sink.end(error);
    }

    /** Copies the log to {@code sink} on a thread of the proxy's own. */
    public void copyInBackground(LogSink sink) {
      streams.execute(() -> copy(sink));
    }

    @Override
    public void close() {
      closeQuietly(body);
    }
  }

  private Log open(URI uri, String pod) {
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() != 200) {
        String message;
        try (InputStream body = r.body()) {
          message = new String(body.readNBytes(4096), StandardCharsets.UTF_8).trim();
        }
        throw ApiException.of(r.statusCode() == 404 ? ApiException.NOT_FOUND : ApiException.BAD_REQUEST,
            r.statusCode(), message.isEmpty() ? "kubelet answered " + r.statusCode() : message);
      }
      return new Log(r.body(), pod);
    } catch (IOException e) {
      throw ApiException.unavailable("cannot reach the kubelet for the logs of pod " + pod + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted while opening the logs of pod " + pod, e);
    }
  }

  private URI kubeletUri(LogsRequest request) {
    ContainerTargets.Target target = targets.resolve(request.getNamespace(), request.getName(),
        request.getContainer());
    StringBuilder query = new StringBuilder("?follow=").append(request.getFollow())
        .append("&previous=").append(request.getPrevious()).append("&timestamps=").append(request.getTimestamps());
    if (request.hasTailLines()) {
      query.append("&tailLines=").append(request.getTailLines());
    }
    return target.uri("containerLogs", query.toString());
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  @Override
  public void close() {
    streams.shutdownNow();
  }
}
