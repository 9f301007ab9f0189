package io.minik8s.client.informer;

import java.util.function.Consumer;

/**
 * Told of changes by an informer, on the informer's one thread, in event order. Must be quick (enqueue
 * a key, no API calls): a slow handler delays every later event of that informer. Objects are
 * immutable messages shared with the store: never modify them, build a copy.
 *
 * @param <T> the object type
 */
public interface ResourceEventHandler<T> {
  /** An object appeared (or was in the initial list, or the handler was just added). */
  default void onAdd(T object) {}

  /**
   * An object changed. On a periodic resync {@code oldObject == newObject}: nothing changed, but the
   * controller gets a chance to re-check the world.
   */
  default void onUpdate(T oldObject, T newObject) {}

  /** An object is gone; {@code lastKnown} is its last state (from the watch, or the store on re-list). */
  default void onDelete(T lastKnown) {}

  /** A handler that passes the affected object of every add, update and delete to {@code onChange}. */
  static <T> ResourceEventHandler<T> onChange(Consumer<? super T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        onChange.accept(object);
      }

      @Override
      public void onUpdate(T oldObject, T newObject) {
        onChange.accept(newObject);
      }

      @Override
      public void onDelete(T lastKnown) {
        onChange.accept(lastKnown);
      }
    };
  }
}
