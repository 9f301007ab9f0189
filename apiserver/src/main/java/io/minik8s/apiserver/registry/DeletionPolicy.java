package io.minik8s.apiserver.registry;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.Kind;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a delete removes an object at once or only marks it ({@code deletionTimestamp}),
 * leaving it for someone to finish: a controller removing its finalizer, a kubelet stopping a pod.
 */
public interface DeletionPolicy<T extends Message> {

  /**
   * @return empty to remove the object now, or the object as it must be stored, marked for deletion
   *     (returning {@code current} unchanged means "already marked, nothing to do")
   */
  Optional<T> markForDeletion(T current, Long requestedGracePeriodSeconds, Instant now);

  /**
   * Whether an object marked for deletion whose finalizers are all gone must still wait for an explicit
   * confirmation (a delete with grace period 0) before it disappears.
   */
  default boolean waitsForConfirmation(T object) {
    return false;
  }

  /** The default: objects with finalizers are marked and kept until the last finalizer is removed. */
  static <T extends Message> DeletionPolicy<T> finalizers(Kind<T> kind) {
    return (current, grace, now) -> {
      ObjectMeta meta = kind.metadata(current);
      if (meta.getFinalizersCount() == 0) {
        return Optional.empty();
      }
      if (meta.hasDeletionTimestamp()) {
        return Optional.of(current);
      }
      return Optional.of(kind.withMetadata(current, meta.toBuilder()
          .setDeletionTimestamp(Timestamps.seconds(now)).setDeletionGracePeriodSeconds(0).build()));
    };
  }
}
