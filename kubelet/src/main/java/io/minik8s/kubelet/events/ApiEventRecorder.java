package io.minik8s.kubelet.events;

import io.minik8s.api.Event;
import io.minik8s.api.EventSource;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiClient;
import io.minik8s.kubelet.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Events through the API server in the background, on an executor that may serve several
 * recorders (the hollow nodes of one process share one): {@link #newExecutor()} is one thread with room
 * for {@link #QUEUE_LIMIT} waiting events. When it is full, new events are dropped (counted in
 * {@link #dropped()}): events are for people, the pods must not wait for them. Thread-safe.
 */
public final class ApiEventRecorder implements EventRecorder {
  static final int QUEUE_LIMIT = 1000;
  private static final Logger log = LoggerFactory.getLogger(ApiEventRecorder.class);

  private final ApiClient client;
  private final String nodeName;
  private final Clock clock;
  private final Executor executor;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sequence = new AtomicLong();

  /** @param executor where the create calls run; one that rejects work drops the event */
  public ApiEventRecorder(ApiClient client, String nodeName, Clock clock, Executor executor) {
    this.client = client;
    this.nodeName = nodeName;
    this.clock = clock;
    this.executor = executor;
  }

  /** One daemon thread ({@code event-recorder}) with a bounded backlog; rejects work when full. */
  public static ExecutorService newExecutor() {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_LIMIT), r -> {
      Thread t = new Thread(r, "event-recorder");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void record(Pod pod, String container, String type, String reason, String message) {
    Event event = event(pod, container, type, reason, message, clock.instant());
    try {
      executor.execute(() -> {
        try {
          client.create(event);
        } catch (RuntimeException e) {
          log.atDebug().addKeyValue("reason", reason).addKeyValue("error", e.getMessage()).log("event not recorded");
        }
      });
    } catch (RejectedExecutionException e) {
      dropped.incrementAndGet();
    }
  }

  Event event(Pod pod, String container, String type, String reason, String message, Instant now) {
    ObjectMeta pm = pod.getMetadata();
    ObjectReference.Builder ref = ObjectReference.newBuilder().setKind("Pod").setApiVersion("v1")
        .setNamespace(pm.getNamespace()).setName(pm.getName()).setUid(pm.getUid())
        .setResourceVersion(pm.getResourceVersion());
    if (container != null) {
      ref.setFieldPath("spec.containers{" + container + "}");
    }
    // Kubernetes names events <object>.<hex nanoseconds>; the sequence keeps two in one tick apart.
    String name = pm.getName() + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano()
        + sequence.incrementAndGet());
    return Event.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace(pm.getNamespace()))
        .setInvolvedObject(ref)
        .setReason(reason)
        .setMessage(message)
        .setType(type)
        .setSource(EventSource.newBuilder().setComponent("kubelet").setHost(nodeName))
        .setFirstTimestamp(Timestamps.seconds(now))
        .setLastTimestamp(Timestamps.seconds(now))
        .setCount(1)
        .setReportingComponent("kubelet")
        .setReportingInstance(nodeName)
        .build();
  }

  /** Events dropped because too many were waiting (or the executor was shut down). */
  public long dropped() {
    return dropped.get();
  }
}
