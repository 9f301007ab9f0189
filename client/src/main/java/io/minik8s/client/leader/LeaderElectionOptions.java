package io.minik8s.client.leader;

import picocli.CommandLine.Option;

/**
 * The leader-election flags of every component that may run in several copies, as a picocli mixin:
 * {@code @Mixin LeaderElectionOptions election;}. The Lease's name is the component's own default
 * unless {@code --lease-name} is given.
 */
public final class LeaderElectionOptions {
  @Option(names = "--leader-elect", defaultValue = "true", arity = "0..1", fallbackValue = "true",
      description = "Run only while holding the lease, so several copies can run (default: ${DEFAULT-VALUE}).")
  private boolean leaderElect = true;

  @Option(names = "--lease-namespace", defaultValue = "kube-system",
      description = "Namespace of the leader election Lease (default: ${DEFAULT-VALUE}).")
  private String leaseNamespace = "kube-system";

  @Option(names = "--lease-name",
      description = "Name of the leader election Lease (default: minik8s-<component>).")
  private String leaseName;

  @Option(names = "--identity",
      description = "This copy's name in the Lease and in Events (default: <hostname>_<pid>).")
  private String identity;

  public boolean leaderElect() {
    return leaderElect;
  }

  public String leaseNamespace() {
    return leaseNamespace;
  }

  /** {@code --lease-name}, else the component's own Lease name. */
  public String leaseName(String componentDefault) {
    return leaseName != null ? leaseName : componentDefault;
  }

  /** {@code --identity}, else {@link ProcessIdentity#current()}. */
  public String identity() {
    return identity != null ? identity : ProcessIdentity.current();
  }
}
