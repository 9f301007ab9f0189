package io.minik8s.dns;

import java.net.InetSocketAddress;

/** Parses {@code host:port}, {@code [v6]:port} or a bare host (with a default port). */
final class HostPort {
  private HostPort() {}

  static InetSocketAddress parse(String value, int defaultPort) {
    String host = value;
    int port = defaultPort;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      host = value.substring(1, close);
      if (value.length() > close + 1 && value.charAt(close + 1) == ':') {
        port = Integer.parseInt(value.substring(close + 2));
      }
    } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
      host = value.substring(0, value.indexOf(':'));
      port = Integer.parseInt(value.substring(value.indexOf(':') + 1));
    }
    return new InetSocketAddress(host, port);
  }
}
