package io.minik8s.client.leader;

import java.io.IOException;
import java.net.InetAddress;

/** The default leader-election identity of a process: {@code <host>_<pid>}, unique per running copy. */
public final class ProcessIdentity {
  private ProcessIdentity() {}

  public static String current() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isEmpty()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "localhost";
      }
    }
    return host + "_" + ProcessHandle.current().pid();
  }
}
