package io.minik8s.kubelet.pod;

import io.minik8s.api.Container;
import io.minik8s.api.Pod;
import io.minik8s.kubelet.cri.ContainerRuntime;
import io.minik8s.kubelet.cri.CriException;
import io.minik8s.kubelet.events.EventRecorder;
import io.minik8s.kubelet.restart.RestartBackoff;
import io.minik8s.kubelet.status.ContainerWaiting;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a container's image present before it is created, by its {@code imagePullPolicy}:
 * <ul>
 *   <li>{@code Never}: only an image already present will do ({@code ErrImageNeverPull} otherwise);</li>
 *   <li>{@code IfNotPresent}: pull only when absent;</li>
 *   <li>{@code Always}: pull, but when the pull fails and the image is present, use it (machines without
 *       a registry, like ours, still run their local images).</li>
 * </ul>
 * A failed pull puts the pod's image in back-off: until it passes, the image is not tried again and the
 * container waits with {@code ImagePullBackOff} (the first failure shows {@code ErrImagePull}).
 * Thread-safe.
 */
public final class ImagePuller {
  private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);

  /** The outcome for one container: ready, or waiting with a reason until {@code retryAfter}. */
  public record Outcome(ContainerWaiting waiting, Duration retryAfter) {
    static final Outcome READY = new Outcome(null, null);

    public boolean ready() {
      return waiting == null;
    }
  }

  private final ContainerRuntime runtime;
  private final RestartBackoff backoff;
  private final EventRecorder events;

  public ImagePuller(ContainerRuntime runtime, RestartBackoff backoff, EventRecorder events) {
    this.runtime = runtime;
    this.backoff = backoff;
    this.events = events;
  }

  /** The image back-off key of a pod's image. */
  static String backoffKey(String podUid, String image) {
    return podUid + "/image/" + image;
  }

  public Outcome ensure(Pod pod, Container c) {
    String image = c.getImage();
    String policy = c.getImagePullPolicy().isEmpty() ? defaultPolicy(image) : c.getImagePullPolicy();
    boolean present = runtime.imagePresent(image);
    switch (policy.toLowerCase(Locale.ROOT)) {
      case "never" -> {
        if (present) {
          alreadyPresent(pod, c);
          return Outcome.READY;
        }
        String message = "Container image \"" + image + "\" is not present with pull policy of Never";
        events.record(pod, c.getName(), EventRecorder.WARNING, ContainerWaiting.ERR_IMAGE_NEVER_PULL, message);
        return new Outcome(new ContainerWaiting(ContainerWaiting.ERR_IMAGE_NEVER_PULL, message), backoff.base());
      }
      case "ifnotpresent" -> {
        if (present) {
          alreadyPresent(pod, c);
          return Outcome.READY;
        }
        return pull(pod, c, false);
      }
      default -> {
        return pull(pod, c, present);
      }
    }
  }

  private Outcome pull(Pod pod, Container c, boolean presentAlready) {
    String image = c.getImage();
    String key = backoffKey(pod.getMetadata().getUid(), image);
    Optional<Duration> wait = backoff.remainingSinceLastAttempt(key);
    if (wait.isPresent()) {
      if (presentAlready) {
        return Outcome.READY; // the last pull failed; the image we have will do until the back-off ends
      }
      String message = "Back-off pulling image \"" + image + "\"";
      events.record(pod, c.getName(), EventRecorder.NORMAL, "BackOff", message);
      return new Outcome(new ContainerWaiting(ContainerWaiting.IMAGE_PULL_BACK_OFF, message), wait.get());
    }
    events.record(pod, c.getName(), EventRecorder.NORMAL, "Pulling", "Pulling image \"" + image + "\"");
    long start = System.nanoTime();
    try {
      runtime.pullImage(image);
      backoff.reset(key);
      events.record(pod, c.getName(), EventRecorder.NORMAL, "Pulled", "Successfully pulled image \"" + image
          + "\" in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + "ms");
      return Outcome.READY;
    } catch (CriException e) {
      Duration next = backoff.next(key);
      if (presentAlready) {
        log.atInfo().addKeyValue("image", image).addKeyValue("error", e.getMessage())
            .log("pull failed; using the image already present");
        events.record(pod, c.getName(), EventRecorder.NORMAL, "Pulled", "Container image \"" + image
            + "\" already present on machine (pull failed: " + e.getMessage() + ")");
        return Outcome.READY;
      }
      String message = "Failed to pull image \"" + image + "\": " + e.getMessage();
      events.record(pod, c.getName(), EventRecorder.WARNING, "Failed", message);
      return new Outcome(new ContainerWaiting(ContainerWaiting.ERR_IMAGE_PULL, message), next);
    }
  }

  private void alreadyPresent(Pod pod, Container c) {
    events.record(pod, c.getName(), EventRecorder.NORMAL, "Pulled",
        "Container image \"" + c.getImage() + "\" already present on machine");
  }

  /** Kubernetes' default: Always for {@code :latest} or an untagged image, else IfNotPresent. */
  static String defaultPolicy(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon <= slash || image.substring(colon + 1).equals("latest") ? "Always" : "IfNotPresent";
  }
}
