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

  public void stream(LogsRequest request, ServerCallStreamObserver<LogChunk> response) {
    URI uri = kubeletUri(request);
    // gRPC takes the cancel handler only on the calling thread; the copy runs on its own thread.
    AtomicReference<InputStream> body = new AtomicReference<>();
    response.setOnCancelHandler(() -> closeQuietly(body.get()));
    streams.execute(() -> copy(uri, request.getName(), response, body));
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

  private void copy(URI uri, String pod, ServerCallStreamObserver<LogChunk> response,
      AtomicReference<InputStream> body) {
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      body.set(r.body());
      if (response.isCancelled()) {
        return;
      }
      if (r.statusCode() != 200) {
        String message = new String(r.body().readNBytes(4096), StandardCharsets.UTF_8).trim();
        response.onError(ApiException.of(r.statusCode() == 404 ? ApiException.NOT_FOUND : ApiException.BAD_REQUEST,
            r.statusCode(), message.isEmpty() ? "kubelet answered " + r.statusCode() : message).toGrpc());
        return;
      }
      byte[] buffer = new byte[CHUNK];
      int n;
      while ((n = r.body().read(buffer)) >= 0) {
        if (response.isCancelled()) {
          return;
        }
        response.onNext(LogChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, n)).build());
      }
      response.onCompleted();
    } catch (IOException e) {
      if (!response.isCancelled()) {
        response.onError(ApiException.unavailable("cannot reach the kubelet for the logs of pod " + pod + ": " + e, e)
            .toGrpc());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the client went away while we were writing
    } finally {
      closeQuietly(body.get());
    }
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
