package io.minik8s.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes {@code count} blocking calls, {@code concurrency} at a time (one thread each, taking the next
 * index until none is left, as {@code concurrency} clients would), and keeps when each call started and
 * returned ({@link System#nanoTime()}), by index.
 *
 * @param started when call {@code i} was made
 * @param returned when call {@code i} returned (the write's acknowledgement)
 * @param wallNanos from the first call made to the last one returned
 */
record LoadRun(long[] started, long[] returned, long wallNanos) {

  /** One call; {@code index} is in {@code [0, count)} and unique per call. */
  interface Call {
    void call(int index) throws Exception;
  }

  /** Runs the calls; the first failure fails the run (after the others have stopped). */
  static LoadRun run(int count, int concurrency, Call call) throws Exception {
    long[] started = new long[count];
    long[] returned = new long[count];
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "bench-client");
      t.setDaemon(true);
      return t;
    });
    long begin = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            started[i] = System.nanoTime();
            call.call(i);
            returned[i] = System.nanoTime();
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        try {
          worker.get();
        } catch (java.util.concurrent.ExecutionException e) {
          next.set(count); // stops the other workers after their current call
          throw e.getCause() instanceof Exception cause ? cause : e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return new LoadRun(started, returned, System.nanoTime() - begin);
  }

  /** Calls per second over the whole run. */
  double perSecond() {
    return started.length / (wallNanos / 1e9);
  }

  /** Percentiles of each call's duration. */
  Percentiles latency() {
    long[] nanos = new long[started.length];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = returned[i] - started[i];
    }
    return Percentiles.ofNanos(nanos, nanos.length);
  }
}
