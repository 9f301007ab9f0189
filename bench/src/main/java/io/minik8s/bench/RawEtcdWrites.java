package io.minik8s.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The etcd floor under a bind: how fast the same etcd takes the same number of writes of the same size
 * with the same concurrency, straight through jetcd. Two shapes: a plain put (the floor of any write),
 * and what the API server's bind does to etcd (read the pod, then a compare-and-swap transaction on its
 * mod revision). Keys go under {@code /bench-raw/} and are deleted afterwards.
 */
final class RawEtcdWrites {
  /** Writes per second of each shape. */
  record Rates(int writes, int concurrency, int valueBytes, double putsPerSecond, double readCasPerSecond) {}

  private RawEtcdWrites() {}

  static Rates measure(String endpoint, int writes, int concurrency, int valueBytes) throws Exception {
    byte[] value = new byte[valueBytes];
    java.util.Arrays.fill(value, (byte) 'x');
    ByteSequence v = ByteSequence.from(value);
    try (Client client = Client.builder().endpoints(endpoint).build()) {
      KV kv = client.getKVClient();
      double puts = run(writes, concurrency, i -> kv.put(key("put", i), v, PutOption.DEFAULT).get());
      // The read-then-CAS shape needs the keys to exist: the puts above made them.
      double cas = run(writes, concurrency, i -> {
        ByteSequence k = key("put", i);
        GetResponse current = kv.get(k, GetOption.DEFAULT).get();
        long rev = current.getKvs().get(0).getModRevision();
        if (!kv.txn().If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(rev)))
            .Then(Op.put(k, v, PutOption.DEFAULT)).Else(Op.get(k, GetOption.DEFAULT)).commit().get().isSucceeded()) {
          throw new IllegalStateException("compare-and-swap lost on an uncontended key");
        }
      });
      ByteSequence prefix = ByteSequence.from("/bench-raw/", StandardCharsets.UTF_8);
      kv.delete(prefix, DeleteOption.builder().isPrefix(true).build()).get();
      return new Rates(writes, concurrency, valueBytes, puts, cas);
    }
  }

  private interface Write {
    void run(int i) throws Exception;
  }

  /** Runs writes 0..n-1 on {@code concurrency} threads; returns writes per second. */
  private static double run(int n, int concurrency, Write write) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < concurrency; t++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
            write.run(i);
          }
          return null;
        }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  private static ByteSequence key(String shape, int i) {
    return ByteSequence.from("/bench-raw/" + shape + "/" + i, StandardCharsets.UTF_8);
  }
}
