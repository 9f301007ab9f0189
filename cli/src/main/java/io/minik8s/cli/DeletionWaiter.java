package io.minik8s.cli;

import com.google.protobuf.Message;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.WatchEventType;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Waits until one object is really gone (not merely marked for deletion), by watching it: no polling.
 *
 * <p>The object counts as gone when it no longer exists or when an object of another uid has taken
 * its name. The watch starts from the version just read, so a deletion between the read and the
 * watch is still seen; an expired or ended watch is restarted from a fresh read.
 */
final class DeletionWaiter {
  private final ApiClient client;

  DeletionWaiter(ApiClient client) {
    this.client = client;
  }

  /**
   * @param uid the uid of the object that was deleted
   * @param timeout how long to wait; zero waits as long as it takes
   * @return true once gone, false on timeout
   */
  <T extends Message> boolean awaitGone(Kind<T> kind, String namespace, String name, String uid, Duration timeout)
      throws InterruptedException {
    long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> current = client.find(kind, namespace, name);
      if (current.isEmpty() || !kind.metadata(current.get()).getUid().equals(uid)) {
        return true;
      }
      BlockingQueue<Object> events = new LinkedBlockingQueue<>();
      Object closed = new Object();
      WatchOptions options = new WatchOptions(namespace, "", "metadata.name=" + name,
          kind.metadata(current.get()).getResourceVersion(), false);
      ApiClient.Watch watch = client.watch(kind, options, new ApiClient.WatchListener<T>() {
        @Override
        public void onEvent(WatchEventType type, T object) {
          if (!kind.metadata(object).getName().equals(name)) {
            return;
          }
          boolean gone = type == WatchEventType.DELETED || !kind.metadata(object).getUid().equals(uid);
          if (gone) {
            events.add(Boolean.TRUE);
          }
        }

        @Override
        public void onClose(ApiException error) {
          events.add(closed);
        }
      });
      try {
        long left = deadline - System.nanoTime();
        Object event = deadline == Long.MAX_VALUE ? events.take() : events.poll(left, TimeUnit.NANOSECONDS);
        if (event == null) {
          return false;
        }
        if (event == Boolean.TRUE) {
          return true;
        }
        // The watch ended (expired, or the server closed it): read again and watch again.
      } finally {
        watch.cancel();
      }
    }
  }
}
