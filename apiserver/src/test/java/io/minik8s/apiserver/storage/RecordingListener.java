package io.minik8s.apiserver.storage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/** A storage watch listener that records what it hears, for assertions. */
final class RecordingListener implements Storage.ChangeListener {
  final List<Storage.Change> changes = new CopyOnWriteArrayList<>();
  final AtomicReference<RuntimeException> error = new AtomicReference<>();
  final AtomicLong progress = new AtomicLong();
  private final AtomicReference<Thread> inCall = new AtomicReference<>();
  final AtomicReference<String> overlap = new AtomicReference<>();

  @Override
  public void onChanges(List<Storage.Change> batch) {
    enter();
    changes.addAll(batch);
    leave();
  }

  @Override
  public void onProgress(long revision) {
    enter();
    progress.set(revision);
    leave();
  }

  @Override
  public void onError(RuntimeException e) {
    enter();
    error.set(e);
    leave();
  }

  List<Long> revisions() {
    return changes.stream().map(Storage.Change::modRevision).collect(Collectors.toList());
  }

  // The contract says one call at a time: remember any overlap so a test can fail on it.
  private void enter() {
    if (!inCall.compareAndSet(null, Thread.currentThread())) {
      overlap.set("two calls at once: " + inCall.get() + " and " + Thread.currentThread());
    }
  }

  private void leave() {
    inCall.set(null);
  }
}
