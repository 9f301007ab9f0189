package io.minik8s.apiserver.registry;

import com.google.protobuf.Message;

/**
 * Scarce values an object holds outside itself (a Service's cluster IP and node ports), claimed
 * before the object is written and released after it is gone. {@link ResourceRegistry} calls
 * {@link #reserve} after validation and before the storage write, then exactly one of
 * {@link Reservation#commit} (the write succeeded) or {@link Reservation#abort} (it did not);
 * {@link #released} after the object was removed from storage. A crash between two steps may leave
 * a claim behind: implementations must have a repair that finds such leftovers.
 */
public interface ResourceAllocator<T extends Message> {

  /**
   * Claims what {@code updated} needs that {@code old} (null on create) does not already hold.
   *
   * @return the object with the values filled in; throws Invalid for a value that cannot be had
   */
  Reservation<T> reserve(T old, T updated);

  /** {@code removed} has been deleted from storage: everything it held is free. */
  void released(T removed);

  /** The outcome of {@link #reserve}. */
  interface Reservation<T> {
    T object();

    /** The write happened: release what the old object held and the new one does not. */
    void commit();

    /** The write did not happen: release what {@link #reserve} claimed. */
    void abort();
  }

  /** For kinds that hold nothing. */
  static <T extends Message> ResourceAllocator<T> none() {
    return new ResourceAllocator<>() {
      @Override
      public Reservation<T> reserve(T old, T updated) {
        return new Reservation<>() {
          @Override
          public T object() {
            return updated;
          }

          @Override
          public void commit() {}

          @Override
          public void abort() {}
        };
      }

      @Override
      public void released(T removed) {}
    };
  }
}
