package io.minik8s.client.leader;

import io.minik8s.client.process.ProcessLifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callbacks of a process that acts only while it holds the lease and exits once it lost it, as
 * kube-scheduler and kube-controller-manager do: starting again from nothing (re-list, re-elect) is
 * simpler and safer than winding down half of a process. Losing the lease during shutdown is expected
 * and changes nothing.
 *
 * <p>The exit happens on a thread of its own: the callback runs under the elector's lock, and the
 * shutdown it starts closes the elector.
 */
public final class ActWhileLeading implements LeaderCallbacks {
  private static final Logger log = LoggerFactory.getLogger(ActWhileLeading.class);

  private final String process;
  private final ProcessLifecycle lifecycle;
  private final Runnable start;

  /**
   * @param process the process' name, for its exit thread
   * @param start what leading means: start the controllers or the loop (quickly; don't wait for them)
   */
  public ActWhileLeading(String process, ProcessLifecycle lifecycle, Runnable start) {
    this.process = process;
    this.lifecycle = lifecycle;
    this.start = start;
  }

  @Override
  public void onStartedLeading() {
    start.run();
  }

  @Override
  public void onStoppedLeading() {
    if (lifecycle.isShuttingDown()) {
      return;
    }
    log.error("leader election lost: exiting");
    Thread exit = new Thread(() -> {
      lifecycle.shutdown("leader election lost");
      System.exit(1);
    }, process + "-exit");
    exit.start();
  }

  @Override
  public void onNewLeader(String identity) {
    log.atInfo().addKeyValue("leader", identity).log("new leader observed");
  }
}
