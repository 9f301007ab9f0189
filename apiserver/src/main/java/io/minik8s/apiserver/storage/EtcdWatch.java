package io.minik8s.apiserver.storage;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.minik8s.client.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Storage#watch} on etcd that survives disconnects: each time jetcd reports an error, the
 * jetcd watcher is dropped and a new one is opened from the first revision not yet delivered.
 *
 * <p>Why not jetcd's own resume: jetcd 0.8.6 re-opens a failed watch from the revision in the last
 * response header it saw; when the stream breaks after the "created" response but before the first
 * event, that header revision is etcd's current revision, and the events between the requested start
 * and that revision are silently skipped. Here the resume point only moves past revisions actually
 * delivered (or covered by a progress notification, which etcd sends only to watchers that are in
 * sync), and events at or below it are dropped, so the listener sees each change exactly once.
 *
 * <p>Each attempt carries a generation number; callbacks of an abandoned attempt are ignored. The
 * listener is called with {@link #lock} held, so calls are serialized and in revision order; they run
 * on jetcd's I/O threads and must not block. Error handling runs on the storage's scheduler, never
 * inside a jetcd callback (jetcd holds its own lock while reporting errors).
 */
final class EtcdWatch implements Storage.WatchHandle {
  private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);

  private final Watch watchClient;
  private final String prefix;
  private final ByteSequence prefixBytes;
  private final Storage.ChangeListener listener;
  private final ScheduledExecutorService scheduler;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Consumer<EtcdWatch> onEnded;

  private final Object lock = new Object();
  // All fields below are guarded by lock.
  private long nextRevision;
  private long generation;
  private Watch.Watcher current;
  private Duration backoff;
  private boolean ended;
  private int failuresInARow;

  EtcdWatch(Watch watchClient, String prefix, long fromRevision, Storage.ChangeListener listener,
      ScheduledExecutorService scheduler, Duration minBackoff, Duration maxBackoff, Consumer<EtcdWatch> onEnded) {
    if (fromRevision <= 0) {
      throw new IllegalArgumentException("a watch starts at a revision > 0, not " + fromRevision);
    }
    this.watchClient = watchClient;
    this.prefix = prefix;
    this.prefixBytes = ByteSequence.from(KeyRanges.bytes(prefix));
    this.listener = listener;
    this.scheduler = scheduler;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.onEnded = onEnded;
    this.nextRevision = fromRevision;
    this.backoff = minBackoff;
  }

  void start() {
    synchronized (lock) {
      open();
    }
  }

  /** The first revision this watch has not delivered yet (where it would resume). */
  long nextRevision() {
    synchronized (lock) {
      return nextRevision;
    }
  }

  @Override
  public void close() {
    end(null);
  }

  /** Ends the watch; when {@code error} is not null the listener hears it through onError. */
  void end(RuntimeException error) {
    Watch.Watcher toClose;
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      generation++;
      toClose = current;
      current = null;
    }
    closeQuietly(toClose);
    onEnded.accept(this);
    if (error != null) {
      notifyError(error);
    }
  }

  // Called with lock held.
  private void open() {
    long attempt = ++generation;
    WatchOption option = WatchOption.builder()
        .isPrefix(true)
        .withRevision(nextRevision)
        .withPrevKV(true)
        .withProgressNotify(true)
        .build();
    try {
      current = watchClient.watch(prefixBytes, option, new AttemptListener(attempt));
    } catch (RuntimeException e) {
      // The jetcd client refuses new watches once closed: report it from the scheduler like any failure.
      current = null;
      executeQuietly(() -> failed(attempt, e));
    }
  }

  private void failed(long attempt, Throwable error) {
    Watch.Watcher toClose;
    boolean compacted = EtcdErrors.isCompacted(error);
    long resumeAt;
    synchronized (lock) {
      if (ended || attempt != generation) {
        return;
      }
      generation++;
      toClose = current;
      current = null;
      resumeAt = nextRevision;
      if (!compacted) {
        Duration delay = backoff;
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        long retryGeneration = generation;
        failuresInARow++;
        if (failuresInARow == 1) {
          log.warn("watch on {} broke at revision {}: {}; resuming from there", prefix, resumeAt, error.toString());
        } else {
          log.debug("watch on {} failed again ({} in a row): {}", prefix, failuresInARow, error.toString());
        }
        try {
          scheduler.schedule(() -> reopen(retryGeneration), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          // The storage is closing; it ends this watch itself.
        }
      }
    }
    // jetcd schedules its own resume of a failed watcher; closing it stops that.
    closeQuietly(toClose);
    if (compacted) {
      end(ApiException.expired("watch on " + prefix + " from revision " + resumeAt
          + ": that revision has been compacted in etcd (" + error.getMessage() + ")"));
    }
  }

  private void reopen(long expectedGeneration) {
    synchronized (lock) {
      if (ended || generation != expectedGeneration) {
        return;
      }
      open();
    }
  }

  private void deliver(long attempt, WatchResponse response) {
    synchronized (lock) {
      if (ended || attempt != generation) {
        return;
      }
      if (failuresInARow > 0) {
        log.info("watch on {} resumed at revision {}", prefix, nextRevision);
        failuresInARow = 0;
      }
      backoff = minBackoff;
      if (response.isProgressNotify()) {
        long revision = response.getHeader().getRevision();
        if (revision >= nextRevision) {
          nextRevision = revision + 1;
          try {
            listener.onProgress(revision);
          } catch (RuntimeException e) {
            log.error("watch listener on {} failed on progress {}", prefix, revision, e);
          }
        }
        return;
      }
      List<Storage.Change> changes = new ArrayList<>(response.getEvents().size());
      for (WatchEvent event : response.getEvents()) {
        KeyValue kv = event.getKeyValue();
        if (kv.getModRevision() < nextRevision) {
          continue;
        }
        KeyValue prev = event.getPrevKV();
        byte[] prevValue = prev == null || prev.getModRevision() == 0 ? null : prev.getValue().getBytes();
        boolean deleted = event.getEventType() == WatchEvent.EventType.DELETE;
        changes.add(new Storage.Change(kv.getKey().toString(StandardCharsets.UTF_8),
            deleted ? null : kv.getValue().getBytes(), prevValue, kv.getModRevision(), deleted));
      }
      if (changes.isEmpty()) {
        return;
      }
      nextRevision = changes.get(changes.size() - 1).modRevision() + 1;
      try {
        listener.onChanges(changes);
      } catch (RuntimeException e) {
        log.error("watch listener on {} failed on changes up to revision {}", prefix, nextRevision - 1, e);
      }
    }
  }

  private void notifyError(RuntimeException error) {
    synchronized (lock) {
      try {
        listener.onError(error);
      } catch (RuntimeException e) {
        log.error("watch listener on {} failed in onError", prefix, e);
      }
    }
  }

  private void executeQuietly(Runnable task) {
    try {
      scheduler.execute(task);
    } catch (RejectedExecutionException e) {
      // The storage is closing; it ends this watch itself.
    }
  }

  private void closeQuietly(Watch.Watcher watcher) {
    if (watcher == null) {
      return;
    }
    try {
      watcher.close();
    } catch (RuntimeException e) {
      log.debug("closing a jetcd watcher on {}: {}", prefix, e.toString());
    }
  }

  @Override
  public String toString() {
    return "watch on " + prefix + " at revision " + nextRevision();
  }

  /** Receives one attempt's callbacks from jetcd. */
  private final class AttemptListener implements Watch.Listener {
    private final long attempt;

    AttemptListener(long attempt) {
      this.attempt = attempt;
    }

    @Override
    public void onNext(WatchResponse response) {
      deliver(attempt, response);
    }

    @Override
    public void onError(Throwable throwable) {
      // jetcd calls this with its watch lock held: decide what to do elsewhere.
      executeQuietly(() -> failed(attempt, throwable));
    }

    @Override
    public void onCompleted() {
      // jetcd calls this when a watcher is closed, by us or after a fatal error it reported first.
    }
  }
}
