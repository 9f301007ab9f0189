package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.testkit.Cluster;
import io.minik8s.testkit.ProcessRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What e2e tests see of the host's network: plain HTTP requests, the iptables rules kube-proxy wrote, and the
 * check that {@code kube-proxy --cleanup} takes them away again.
 */
final class HostNetwork {
  private HostNetwork() {}

  /**
   * {@code GET /} over a new connection (HTTP/1.0: no keep-alive, so each request is a new connection and
   * goes through the balancing rules again); returns the body, the name of the pod that answered.
   */
  static String httpGet(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      in.transferTo(body);
      String response = body.toString(StandardCharsets.UTF_8);
      assertThat(response).as("response from %s:%d", host, port).startsWith("HTTP/1.").contains(" 200 ");
      return response.substring(response.indexOf("\r\n\r\n") + 4).strip();
    } catch (IOException e) {
      throw new AssertionError("GET http://" + host + ":" + port + "/ failed: " + e, e);
    }
  }

  static String iptablesSave(String... table) {
    List<String> command = new ArrayList<>(List.of("iptables-save"));
    if (table.length > 0) {
      command.add("-t");
      command.add(table[0]);
    }
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("PATH", System.getenv("PATH") + ":/usr/sbin:/sbin");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("iptables-save failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run iptables-save", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Runs {@code kube-proxy --cleanup} as a user would after stopping it, and checks that it left no MINIK8S
   * rule and no load-balancer link on the host. Call it last, once no pod is left to send to a ClusterIP
   * (without the rules such a packet would leave through the default route).
   */
  static void cleanUpKubeProxy() {
    ProcessRunner cleanup = ProcessRunner.javaJar(Cluster.jar("kube-proxy", "kube-proxy"), "--cleanup")
        .name("kube-proxy-cleanup").jvmOptions("-Xmx64m", "-XX:+UseSerialGC").start();
    assertThat(cleanup.waitForExit(Duration.ofSeconds(60))).as(cleanup.logTail(20)).isZero();
    assertThat(iptablesSave()).as("MINIK8S rules after kube-proxy --cleanup").doesNotContain("MINIK8S");
    assertThat(Files.exists(Path.of("/sys/class/net/minik8s-lb0")))
        .as("the load-balancer link after kube-proxy --cleanup").isFalse();
  }
}
