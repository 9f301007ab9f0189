package io.minik8s.client.informer;

import io.minik8s.api.Pod;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Writes each call as {@code "add ns/name@rv"}, {@code "update ns/name@rv->rv"}, {@code "delete ns/name@rv"}. */
final class RecordingHandler implements ResourceEventHandler<Pod> {
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();

  @Override
  public void onAdd(Pod p) {
    record("add " + id(p));
  }

  @Override
  public void onUpdate(Pod oldPod, Pod newPod) {
    record("update " + id(oldPod) + "->" + newPod.getMetadata().getResourceVersion());
  }

  @Override
  public void onDelete(Pod p) {
    record("delete " + id(p));
  }

  private void record(String e) {
    threads.add(Thread.currentThread().getName());
    events.add(e);
  }

  static String id(Pod p) {
    return Store.keyOf(p) + "@" + p.getMetadata().getResourceVersion();
  }
}
