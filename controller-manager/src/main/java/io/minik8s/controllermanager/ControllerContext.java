package io.minik8s.controllermanager;

import io.micrometer.core.instrument.MeterRegistry;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.events.EventRecorder;
import io.minik8s.client.informer.InformerFactory;
import io.minik8s.client.workqueue.WorkQueue;
import java.time.Clock;
import java.util.Objects;

/**
 * What one controller gets from the process: the shared API client and informer factory (so every
 * controller reading pods reads the same cache), the process' meters and clock, and its own event
 * recorder (source component {@code <name>-controller}) and work queue.
 */
public record ControllerContext(ApiClient client, InformerFactory informers, MeterRegistry meters, Clock clock,
    EventRecorder events, WorkQueue<String> queue) {
  public ControllerContext {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(informers, "informers");
    Objects.requireNonNull(meters, "meters");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(queue, "queue");
  }
}
