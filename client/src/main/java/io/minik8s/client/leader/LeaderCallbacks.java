package io.minik8s.client.leader;

/**
 * What a {@link LeaderElector} tells its owner. Called one at a time, never concurrently, and always
 * in a consistent order: {@code onStartedLeading} then, later, {@code onStoppedLeading}. They run on the
 * elector's thread (or the thread calling {@code stop}) while it holds its lock, so they must be quick:
 * start or stop controllers, do not wait for them.
 */
public interface LeaderCallbacks {
  /** This process now holds the lease: start acting. */
  default void onStartedLeading() {}

  /**
   * This process no longer holds the lease (it could not renew in time, another holder was seen, or it
   * was stopped): stop acting at once. Many processes simply exit here.
   */
  default void onStoppedLeading() {}

  /** The lease holder seen changed to {@code identity} (possibly this process). */
  default void onNewLeader(String identity) {}
}
