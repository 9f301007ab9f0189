package io.minik8s.kubelet.cri;

import java.time.Duration;
import java.util.Map;

/**
 * Stops and removes every container and pod sandbox of a runtime, through the CRI so that CNI releases
 * the addresses and NAT rules it set up. For {@code deploy/down.sh}: the last step before a node's own
 * containerd is stopped.
 *
 * <pre>java -cp kubelet.jar io.minik8s.kubelet.cri.CriCleanup --endpoint unix:///path/containerd.sock</pre>
 */
public final class CriCleanup {
  private CriCleanup() {}

  public static void main(String[] args) {
    if (args.length != 2 || !args[0].equals("--endpoint")) {
      System.err.println("usage: CriCleanup --endpoint unix:///path/to/containerd.sock");
      System.exit(2);
    }
    io.minik8s.client.process.Logging.configure("error", false);
    try (CriRuntime runtime = CriRuntime.connect(args[1], Duration.ofSeconds(60))) {
      int containers = 0;
      for (ContainerSummary c : runtime.listContainers(ContainerFilter.all())) {
        runtime.stopContainer(c.id(), 2);
        runtime.removeContainer(c.id());
        containers++;
      }
      int sandboxes = 0;
      for (SandboxSummary s : runtime.listSandboxes(Map.of())) {
        runtime.stopSandbox(s.id());
        runtime.removeSandbox(s.id());
        sandboxes++;
      }
      System.out.println("removed " + containers + " containers and " + sandboxes + " pod sandboxes");
    }
  }
}
