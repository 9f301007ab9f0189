package io.minik8s.kubelet.logs;

import java.nio.file.Path;
import java.util.Optional;

/** Where a container's log is, and whether the container may still write to it. Thread-safe. */
public interface ContainerLogs {

  /** A container's log file. */
  record Location(String containerId, Path path) {}

  /**
   * The log of the newest container of that name in the newest pod of that namespace and name; with
   * {@code previous}, of the one before it. Empty when there is none.
   */
  Optional<Location> find(String namespace, String pod, String container, boolean previous);

  /** Whether the container still runs (a follower stops once it does not and the file is drained). */
  boolean running(String containerId);
}
