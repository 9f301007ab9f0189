package io.minik8s.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwards TCP connections from a listening address to a target, byte for byte, two threads per
 * connection. The API server of the benchmarks listens on 127.0.0.1 only; a process in a network namespace
 * reaches it through one of these on the host's end of the namespace's veth pair. Adds well under a
 * millisecond per hop on loopback-like links; {@link #close()} ends every connection.
 */
final class TcpForwarder implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

  private TcpForwarder(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
  }

  /** Listens on {@code bindAddress} (a free port) and forwards to {@code target}. */
  static TcpForwarder start(String bindAddress, InetSocketAddress target) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(bindAddress));
    TcpForwarder forwarder = new TcpForwarder(server, target);
    daemon("forward-accept", forwarder::acceptLoop);
    return forwarder;
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        Socket out = new Socket();
        out.connect(target, 5_000);
        in.setTcpNoDelay(true);
        out.setTcpNoDelay(true);
        sockets.add(in);
        sockets.add(out);
        daemon("forward-up", () -> pump(in, out));
        daemon("forward-down", () -> pump(out, in));
      } catch (IOException e) {
        // closed, or the target refused one connection: the client sees its connection end and retries
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private void closeQuietly(Socket s) {
    sockets.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(this::closeQuietly);
  }
}
