package io.minik8s.apiserver.storage;

import com.google.protobuf.Message;
import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/** A watch cache sink that records what it receives; {@link #accepting} is what {@code send} returns. */
final class RecordingSink implements WatchCache.Sink {
  final List<WatchCache.Event> events = new CopyOnWriteArrayList<>();
  final AtomicReference<ApiException> error = new AtomicReference<>();
  final AtomicBoolean closed = new AtomicBoolean();
  final AtomicInteger closedCalls = new AtomicInteger();
  final AtomicReference<String> misuse = new AtomicReference<>();
  private final AtomicBoolean inCall = new AtomicBoolean();
  volatile boolean accepting = true;

  @Override
  public boolean send(WatchCache.Event event) {
    enter();
    if (closed.get()) {
      misuse.set("send after closed");
    }
    events.add(event);
    inCall.set(false);
    return accepting;
  }

  @Override
  public void closed(ApiException e) {
    enter();
    error.set(e);
    closed.set(true);
    closedCalls.incrementAndGet();
    inCall.set(false);
  }

  /** Events other than bookmarks as "TYPE name revision", the name from the pod's metadata. */
  List<String> summary() {
    return events.stream().filter(e -> e.type() != WatchCache.EventType.BOOKMARK)
        .map(e -> e.type() + " " + name(e.object()) + " " + e.revision())
        .collect(Collectors.toList());
  }

  List<WatchCache.Event> bookmarks() {
    return events.stream().filter(e -> e.type() == WatchCache.EventType.BOOKMARK).collect(Collectors.toList());
  }

  private static String name(Message object) {
    return ((Pod) object).getMetadata().getName();
  }

  private void enter() {
    if (!inCall.compareAndSet(false, true)) {
      misuse.set("two calls at once");
    }
  }
}
