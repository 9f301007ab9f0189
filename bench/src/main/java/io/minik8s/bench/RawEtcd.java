package io.minik8s.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The raw side of the API benchmarks: jetcd straight to the etcd under the API server, doing what the API
 * server's storage does for the same request (a create is one transaction "if the key's create revision is
 * 0 then put", as in {@code EtcdStorage.create}). Thread-safe (jetcd's client is).
 */
final class RawEtcd implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 30;
  private final Client client;
  private final KV kv;

  private RawEtcd(Client client) {
    this.client = client;
    this.kv = client.getKVClient();
  }

  static RawEtcd connect(String endpoint) {
    return new RawEtcd(Client.builder().endpoints(endpoint).build());
  }

  /** Creates {@code key}, which must not exist; returns the revision of the write. */
  long create(String key, byte[] value) throws Exception {
    ByteSequence k = bytes(key);
    TxnResponse response = kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
        .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
        .commit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!response.isSucceeded()) {
      throw new IllegalStateException(key + " exists already");
    }
    return response.getHeader().getRevision();
  }

  /** Every key under {@code prefix} with its value, in key order. */
  Map<String, byte[]> values(String prefix) throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (KeyValue kv : kv.get(bytes(prefix), GetOption.builder().isPrefix(true).build())
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getKvs()) {
      out.put(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes());
    }
    return out;
  }

  /** etcd's current revision. */
  long revision() throws Exception {
    return kv.get(bytes("\0"), GetOption.builder().withCountOnly(true).build())
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).getHeader().getRevision();
  }

  /**
   * Watches every key under {@code prefix} from {@code fromRevision} on; responses arrive on jetcd's threads,
   * the first one being etcd's "created" notification ({@link WatchResponse#isCreatedNotify()}).
   */
  Watch.Watcher watch(String prefix, long fromRevision, Consumer<WatchResponse> onResponse,
      Consumer<Throwable> onError) {
    return client.getWatchClient().watch(bytes(prefix),
        WatchOption.builder().isPrefix(true).withRevision(fromRevision).withCreateNotify(true).build(), onResponse,
        onError);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    client.close();
  }
}
