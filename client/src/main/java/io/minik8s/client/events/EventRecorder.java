package io.minik8s.client.events;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.minik8s.api.Event;
import io.minik8s.api.EventSource;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.ObjectReference;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about any API object, aggregated as client-go's recorder does: the same event
 * again (same object, type, reason and message) bumps {@code count} and {@code lastTimestamp} of the
 * Event already written instead of creating another. A new Event is named {@code <object>.<hex
 * nanoseconds>} in the object's namespace ({@code default} for cluster-scoped objects, as Kubernetes).
 *
 * <p>Thread-safe: the bookkeeping is guarded by the monitor, the API calls are made outside it, so two
 * threads recording at once never wait on each other's calls (two racing records of the same new event
 * may then create two Events, which is harmless). Each call makes API calls on the caller's thread;
 * failures are logged and dropped (events are informational).
 */
public final class EventRecorder {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 4096;

  private final ApiClient client;
  private final String component;
  private final String instance;
  private final Clock clock;
  private final Map<String, Event> written = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
      return size() > REMEMBERED;
    }
  };
  private long lastSuffix;

  /**
   * @param component {@code source.component} and {@code reportingComponent} (e.g. the scheduler's name)
   * @param instance {@code reportingInstance}: which process (its identity)
   */
  public EventRecorder(ApiClient client, String component, String instance, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.component = component;
    this.instance = instance;
    this.clock = clock;
  }

  /** Records an event of {@code type} ({@link #NORMAL}, {@link #WARNING}) about {@code object}, happening now. */
  public void record(Message object, String type, String reason, String action, String message) {
    record(object, type, reason, action, message, clock.instant());
  }

  /**
   * Records an event that happened {@code at}: a caller that writes events later, off its own thread, passes the
   * time of what happened, so that kubectl (which sorts by time) lists them in the order they happened, beside
   * the events other components wrote meanwhile.
   */
  public void record(Message object, String type, String reason, String action, String message, Instant at) {
    Kind<?> kind = Kinds.of(object);
    ObjectMeta m = kind.metadata(object);
    String key = m.getUid() + "\u0000" + type + "\u0000" + reason + "\u0000" + message;
    Timestamp now = timestamp(at);
    Event previous;
    synchronized (this) {
      previous = written.get(key);
    }
    try {
      if (previous != null) {
        try {
          remember(key, client.update(previous.toBuilder().setCount(previous.getCount() + 1)
              .setLastTimestamp(now).build()));
          return;
        } catch (ApiException e) {
          if (!e.isConflict() && !e.isNotFound()) {
            throw e;
          }
          // Changed or expired on the server: start a new series.
        }
      }
      remember(key, create(kind, m, type, reason, action, message, at));
    } catch (ApiException e) {
      log.atWarn().addKeyValue("object", kind.kind() + " " + m.getNamespace() + "/" + m.getName())
          .addKeyValue("reason", reason).addKeyValue("error", e.getMessage()).log("could not write event");
    }
  }

  private synchronized void remember(String key, Event event) {
    written.put(key, event);
  }

  private Event create(Kind<?> kind, ObjectMeta m, String type, String reason, String action, String message,
      Instant at) {
    Timestamp now = timestamp(at);
    String namespace = m.getNamespace().isEmpty() ? "default" : m.getNamespace();
    Event.Builder event = Event.newBuilder()
        .setInvolvedObject(ObjectReference.newBuilder().setKind(kind.kind()).setApiVersion(kind.apiVersion())
            .setNamespace(m.getNamespace()).setName(m.getName()).setUid(m.getUid())
            .setResourceVersion(m.getResourceVersion()))
        .setType(type).setReason(reason).setMessage(message).setAction(action)
        .setSource(EventSource.newBuilder().setComponent(component))
        .setReportingComponent(component).setReportingInstance(instance)
        .setFirstTimestamp(now).setLastTimestamp(now).setCount(1);
    for (int attempt = 0; ; attempt++) {
      event.setMetadata(ObjectMeta.newBuilder().setNamespace(namespace)
          .setName(m.getName() + "." + Long.toHexString(nextSuffix(at))));
      try {
        return client.create(event.build());
      } catch (ApiException e) {
        if (!e.isAlreadyExists() || attempt > 0) {
          throw e;
        }
      }
    }
  }

  /**
   * The event's time in nanoseconds, strictly increasing within this process so names never repeat here (names
   * sort as the events happened: the API lists them in name order).
   */
  private synchronized long nextSuffix(Instant now) {
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lastSuffix = Math.max(lastSuffix + 1, nanos);
    return lastSuffix;
  }

  /**
   * Whole seconds, as Kubernetes writes an Event's firstTimestamp and lastTimestamp (and as the kubelet does here):
   * kubectl sorts events by them, so one component's fractions would put its events after another's of the same
   * second. Events of one second keep the order of their names, which are their times in nanoseconds.
   */
  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).build();
  }
}
