package io.minik8s.client.printers;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Event;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code LAST SEEN TYPE REASON OBJECT MESSAGE}; wide adds the sub-object, source, first time,
 * count and name. OBJECT is {@code pod/web} (the involved object's kind, lower case).
 */
public final class EventPrinter implements TablePrinter<Event> {
  private final AgeColumn age;

  EventPrinter(Clock clock) {
    this.age = new AgeColumn(clock);
  }

  @Override
  public List<String> columns(boolean wide) {
    if (wide) {
      return List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN",
          "COUNT", "NAME");
    }
    return List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
  }

  @Override
  public List<String> row(Event event, boolean wide) {
    List<String> row = new ArrayList<>(List.of(age.since(lastSeen(event)), event.getType(), event.getReason(),
        object(event)));
    if (wide) {
      row.add(event.getInvolvedObject().getFieldPath());
      row.add(source(event));
      row.add(event.getMessage());
      row.add(age.since(firstSeen(event)));
      row.add(Integer.toString(event.getCount()));
      row.add(event.getMetadata().getName());
    } else {
      row.add(event.getMessage());
    }
    return row;
  }

  /** The last time the event happened: lastTimestamp, else firstTimestamp, else eventTime. */
  public static Timestamp lastSeen(Event event) {
    return event.hasLastTimestamp() ? event.getLastTimestamp() : firstSeen(event);
  }

  public static Timestamp firstSeen(Event event) {
    return event.hasFirstTimestamp() ? event.getFirstTimestamp() : event.getEventTime();
  }

  /** {@code kubelet, node-1}: the component (and host) that reported the event. */
  public static String source(Event event) {
    String component = event.getSource().getComponent().isEmpty()
        ? event.getReportingComponent() : event.getSource().getComponent();
    String host = event.getSource().getHost().isEmpty() ? event.getReportingInstance() : event.getSource().getHost();
    return host.isEmpty() ? component : component + ", " + host;
  }

  private static String object(Event event) {
    String kind = event.getInvolvedObject().getKind().toLowerCase(Locale.ROOT);
    String name = event.getInvolvedObject().getName();
    return name.isEmpty() ? kind : kind + "/" + name;
  }
}
