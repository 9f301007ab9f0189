package io.minik8s.cli;

import io.minik8s.client.api.ApiException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Read-modify-write from the command line: controllers write the status of the same objects all the
 * time (each write a new resourceVersion), so a Conflict is retried after a short random pause that
 * lets the next read-merge-write land between their writes.
 */
public final class ConflictRetry {
  public static final int ATTEMPTS = 10;

  private ConflictRetry() {}

  /** Runs {@code readModifyWrite} until it does not conflict, at most {@link #ATTEMPTS} times. */
  public static <T> T run(Supplier<T> readModifyWrite) {
    for (int attempt = 1; ; attempt++) {
      try {
        return readModifyWrite.get();
      } catch (ApiException e) {
        if (!e.isConflict() || attempt >= ATTEMPTS) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  /** Waits 20 ms to 50 ms per attempt made, at random. */
  public static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(20, 50L * attempt + 21));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying after a conflict", e);
    }
  }
}
