package io.minik8s.apiserver.logs;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.minik8s.api.Container;
import io.minik8s.api.LogChunk;
import io.minik8s.api.LogsRequest;
import io.minik8s.api.Node;
import io.minik8s.api.NodeAddress;
import io.minik8s.api.Pod;
import io.minik8s.apiserver.registry.Registries;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * pods/log: finds the pod's node and the kubelet's log port (the Node's InternalIP and
 * {@code status.daemonEndpoints.kubeletEndpoint.Port}), asks that kubelet for the container's log and
 * streams it back, so that a user needs one address only. A follow lasts until the client cancels or
 * the kubelet ends the stream.
 */
public final class PodLogProxy implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;

  private final Registries registries;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "pod-log-stream");
    t.setDaemon(true);
    return t;
  });

  public PodLogProxy(Registries registries) {
    this.registries = registries;
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
    Pod pod = registries.pods().get(request.getNamespace(), request.getName());
    String container = request.getContainer();
    if (container.isEmpty()) {
      if (pod.getSpec().getContainersCount() != 1) {
        throw ApiException.badRequest("a container name must be specified for pod " + request.getName()
            + ", choose one of: [" + pod.getSpec().getContainersList().stream().map(Container::getName)
            .collect(Collectors.joining(" ")) + "]");
      }
      container = pod.getSpec().getContainers(0).getName();
    } else {
      String wanted = container;
      if (pod.getSpec().getContainersList().stream().noneMatch(c -> c.getName().equals(wanted))) {
        throw ApiException.badRequest("container " + container + " is not valid for pod " + request.getName());
      }
    }
    if (pod.getSpec().getNodeName().isEmpty()) {
      throw ApiException.badRequest("pod " + request.getName() + " does not have a host assigned");
    }
    Node node = registries.of(Kinds.NODE).get("", pod.getSpec().getNodeName());
    String address = node.getStatus().getAddressesList().stream()
        .filter(a -> a.getType().equals("InternalIP")).map(NodeAddress::getAddress).findFirst()
        .orElseThrow(() -> ApiException.of("ServiceUnavailable", 503, "node " + node.getMetadata().getName()
            + " has no InternalIP address"));
    int port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
    if (port == 0) {
      throw ApiException.of("ServiceUnavailable", 503, "node " + node.getMetadata().getName()
          + " does not publish its kubelet port");
    }
    StringBuilder query = new StringBuilder("?follow=").append(request.getFollow())
        .append("&previous=").append(request.getPrevious()).append("&timestamps=").append(request.getTimestamps());
    if (request.hasTailLines()) {
      query.append("&tailLines=").append(request.getTailLines());
    }
    String host = address.contains(":") ? "[" + address + "]" : address;
    return URI.create("http://" + host + ":" + port + "/containerLogs/" + enc(pod.getMetadata().getNamespace())
        + "/" + enc(pod.getMetadata().getName()) + "/" + enc(container) + query);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
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
