package io.minik8s.kubelet.probe;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.HTTPGetAction;
import io.minik8s.api.HTTPHeader;
import io.minik8s.api.IntOrString;
import io.minik8s.api.Probe;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.ExecResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * Runs one probe once, as Kubernetes does: {@code httpGet} succeeds on a status from 200 to 399,
 * {@code tcpSocket} when a connection opens, {@code exec} when the command exits 0 (run in the
 * container through the CRI). Each is bounded by the probe's {@code timeoutSeconds}. Thread-safe.
 */
public final class Prober {
  /** The outcome of one run; {@code message} says why it failed. */
  public record Outcome(boolean success, String message) {}

  private final ContainerRuntime runtime;

  /**
   * One HTTP client for every prober of the process, made on the first httpGet probe: each client owns a
   * selector thread, and the hollow nodes of one process have a prober each.
   */
  private static final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  public Prober(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  public Outcome run(Probe probe, Container container, String containerId, String podIp) {
    Duration timeout = Duration.ofSeconds(Math.max(1, probe.getTimeoutSeconds()));
    try {
      if (probe.hasHttpGet()) {
        return httpGet(probe.getHttpGet(), container, podIp, timeout);
      }
      if (probe.hasTcpSocket()) {
        String host = probe.getTcpSocket().getHost().isEmpty() ? podIp : probe.getTcpSocket().getHost();
        int port = port(probe.getTcpSocket().getPort(), container);
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
          return new Outcome(true, "");
        }
      }
      if (probe.hasExec()) {
        ExecResult r = runtime.execSync(containerId, probe.getExec().getCommandList(), timeout);
        return new Outcome(r.succeeded(), r.succeeded() ? "" : "command exited " + r.exitCode() + ": " + r.stderr());
      }
      return new Outcome(false, "probe has no handler");
    } catch (IOException | RuntimeException e) {
      return new Outcome(false, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(false, "interrupted");
    }
  }

  private Outcome httpGet(HTTPGetAction get, Container container, String podIp, Duration timeout)
      throws IOException, InterruptedException {
    String host = get.getHost().isEmpty() ? podIp : get.getHost();
    String scheme = get.getScheme().isEmpty() ? "http" : get.getScheme().toLowerCase(Locale.ROOT);
    String path = get.getPath().isEmpty() ? "/" : get.getPath().startsWith("/") ? get.getPath() : "/" + get.getPath();
    URI uri = URI.create(scheme + "://" + host + ":" + port(get.getPort(), container) + path);
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(timeout).GET()
        .header("User-Agent", "kube-probe/minik8s");
    for (HTTPHeader h : get.getHttpHeadersList()) {
      req.header(h.getName(), h.getValue());
    }
    int code = Http.CLIENT.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    return code >= 200 && code < 400 ? new Outcome(true, "") : new Outcome(false, "HTTP probe failed with statuscode: " + code);
  }

  /** A number, or the name of one of the container's ports. */
  static int port(IntOrString port, Container container) {
    if (port.hasIntVal()) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    for (ContainerPort p : container.getPortsList()) {
      if (p.getName().equals(name)) {
        return p.getContainerPort();
      }
    }
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("no port named \"" + name + "\" in container " + container.getName());
    }
  }
}
