package io.minik8s.kubelet.status;

import io.minik8s.api.Pod;
import io.minik8s.api.PodStatus;
import io.minik8s.client.api.ApiException;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes pod status to the API server, only when it changed, and remembers what it wrote: the
 * informer's copy of a pod lags behind the kubelet's own writes, so "changed" is judged against the
 * last write (else against the API's copy).
 *
 * <p>The write is a status update of the pod as cached with the new status, without resourceVersion
 * (the kubelet owns pod status; nobody else's write can be lost) but with the uid, so a pod deleted and
 * re-created under the same name is never given the old one's status. Thread-safe; calls for one pod
 * are serialized by its worker.
 */
public final class PodStatusWriter {
  private static final Logger log = LoggerFactory.getLogger(PodStatusWriter.class);

  private final UnaryOperator<Pod> updateStatus;
  private final Map<String, PodStatus> lastWritten = new ConcurrentHashMap<>();

  /** @param updateStatus the API server's status update ({@code ApiClient::updateStatus}) */
  public PodStatusWriter(UnaryOperator<Pod> updateStatus) {
    this.updateStatus = Objects.requireNonNull(updateStatus, "updateStatus");
  }

  /** The status to compute the next one from: the last one written, else the API's. */
  public PodStatus previous(Pod pod) {
    return lastWritten.getOrDefault(pod.getMetadata().getUid(), pod.getStatus());
  }

  /**
   * Writes {@code status} unless it equals the last one written (or the API's, if none was).
   *
   * @return true if a write was made
   * @throws ApiException when the API server fails (the caller retries); a pod that is gone is no error
   */
  public boolean write(Pod pod, PodStatus status) {
    String uid = pod.getMetadata().getUid();
    if (status.equals(previous(pod))) {
      return false;
    }
    Pod update = pod.toBuilder()
        .setMetadata(pod.getMetadata().toBuilder().clearResourceVersion())
        .setStatus(status)
        .build();
    try {
      updateStatus.apply(update);
      lastWritten.put(uid, status);
      log.atDebug().addKeyValue("pod", pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName())
          .addKeyValue("phase", status.getPhase()).log("pod status written");
      return true;
    } catch (ApiException e) {
      if (e.isNotFound() || e.isConflict()) {
        log.atDebug().addKeyValue("pod", pod.getMetadata().getName()).addKeyValue("reason", e.reason())
            .log("pod gone or replaced; status not written");
        return false;
      }
      throw e;
    }
  }

  /** Forgets a pod that is gone. */
  public void forget(String uid) {
    lastWritten.remove(uid);
  }
}
