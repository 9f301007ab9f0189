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
 * watch is still seen; an expired or ended watch is restarted from a fresh read. The watch asks the
 * server for the one name ({@code metadata.name=}); a server that refuses that field selector gets
 * a namespace-wide watch instead, filtered here.
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
    boolean selectByName = true;
    while (true) {
      Optional<T> current = client.find(kind, namespace, name);
      if (current.isEmpty() || !kind.metadata(current.get()).getUid().equals(uid)) {
        return true;
      }
      BlockingQueue<Object> events = new LinkedBlockingQueue<>();
      Object closed = new Object();
      WatchOptions options = new WatchOptions(namespace, "", selectByName ? "metadata.name=" + name : "",
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
          events.add(error == null || error.isExpired() ? closed : error);
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
        if (event instanceof ApiException) {
          ApiException error = (ApiException) event;
          if (!selectByName || !ApiException.BAD_REQUEST.equals(error.reason())) {
            throw error;
          }
          selectByName = false;
        }
        // The watch ended (expired, closed by the server, or refused the selector): read again and watch again.
      } finally {
        watch.cancel();
      }
    }
  }
}
