package io.minik8s.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on the loopback interface.
 *
 * <p>A port is free when the kernel hands it out for an ephemeral bind; it is released again before
 * it is returned, so another process could take it first. The window is small and the ports come
 * from the ephemeral range, which servers started by tests do not otherwise use.
 */
public final class FreePorts {
  private FreePorts() {}

  /** One free loopback port. */
  public static int one() {
    return take(1).get(0);
  }

  /** {@code count} distinct free loopback ports (all bound at once, so they differ). */
  public static List<Integer> take(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ports.add(socket.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a probe socket cannot matter
        }
      }
    }
  }
}
