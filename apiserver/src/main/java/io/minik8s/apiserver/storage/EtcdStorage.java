package io.minik8s.apiserver.storage;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minik8s.client.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Storage} on etcd v3 through jetcd.
 *
 * <p>Writes are single transactions that compare and then act, so they are atomic in etcd:
 * create = "if the key's create revision is 0 then put"; update and delete = "if its mod revision is
 * the expected one then put/delete, else read it" (the read tells Conflict from NotFound without a
 * second round trip).
 *
 * <p>Every call waits at most the configured timeout (default {@link #DEFAULT_TIMEOUT}); when etcd
 * does not answer the caller gets ServiceUnavailable, never a hang. Every call is timed in the
 * Micrometer timer {@code etcd.request.duration{operation}} (Prometheus:
 * {@code etcd_request_duration_seconds}).
 *
 * <p>Watches are {@link EtcdWatch}es: they resume by themselves after etcd restarts.
 *
 * <p>Thread-safe.
 */
public final class EtcdStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(EtcdStorage.class);

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** A successful call at most this old makes {@link #isHealthy()} true without asking etcd. */
  static final Duration HEALTH_FRESHNESS = Duration.ofSeconds(5);
  static final Duration HEALTH_PROBE_TIMEOUT = Duration.ofSeconds(2);
  static final Duration WATCH_MIN_BACKOFF = Duration.ofMillis(100);
  static final Duration WATCH_MAX_BACKOFF = Duration.ofSeconds(2);
  /**
   * The largest etcd response taken (gRPC's default is 4 MiB, less than a page of 1,000 objects of up to
   * 1.5 MiB; Kubernetes lifts the limit altogether). Lists are read in pages of keys as well.
   */
  static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
  private static final ByteSequence REVISION_PROBE_KEY = ByteSequence.from(new byte[] {0});

  private final Client client;
  private final KV kv;
  private final Duration timeout;
  private final MeterRegistry registry;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final ScheduledExecutorService watchScheduler;
  private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile long lastAnswerNanos = System.nanoTime() - HEALTH_FRESHNESS.toNanos() - 1;
  private volatile boolean lastCallUnavailable = true;
  private volatile boolean closed;

  /**
   * Wraps a jetcd client; {@link #close()} closes it. Prefer {@link #connect}, which also bounds each
   * call on the gRPC level.
   */
  public EtcdStorage(Client client, MeterRegistry registry, Duration timeout) {
    this.client = client;
    this.kv = client.getKVClient();
    this.timeout = timeout;
    this.registry = registry;
    this.watchScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "etcd-watch-resume");
      t.setDaemon(true);
      return t;
    });
  }

  /** Connects to etcd at {@code endpoints} (comma-separated URLs) with the default timeout. */
  public static EtcdStorage connect(String endpoints, MeterRegistry registry) {
    return connect(endpoints, registry, DEFAULT_TIMEOUT);
  }

  /** Connects to etcd at {@code endpoints} (comma-separated URLs, {@code http://127.0.0.1:2379}). */
  public static EtcdStorage connect(String endpoints, MeterRegistry registry, Duration timeout) {
    String[] urls = Arrays.stream(endpoints.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .toArray(String[]::new);
    if (urls.length == 0) {
      throw new IllegalArgumentException("no etcd endpoint in \"" + endpoints + "\"");
    }
    Client client = Client.builder()
        .endpoints(urls)
        .interceptor(new UnaryCallDeadline(timeout))
        .retryMaxDuration(timeout)
        .connectTimeout(Duration.ofSeconds(2))
        .maxInboundMessageSize(MAX_RESPONSE_BYTES)
        .build();
    return new EtcdStorage(client, registry, timeout);
  }

  public Duration timeout() {
    return timeout;
  }

  @Override
  public Optional<Entry> get(String key) {
    GetResponse response = call("get", key, () -> kv.get(bytes(key)));
    return response.getKvs().stream().findFirst().map(EtcdStorage::entry);
  }

  @Override
  public Page list(String prefix, String startAfterKey, long limit, long revision) {
    if (limit < 0 || revision < 0) {
      throw new IllegalArgumentException("negative limit or revision");
    }
    byte[] prefixBytes = KeyRanges.bytes(prefix);
    byte[] start = prefixBytes;
    if (startAfterKey != null && !startAfterKey.isEmpty()) {
      if (!startAfterKey.startsWith(prefix)) {
        throw ApiException.badRequest("continue key \"" + startAfterKey + "\" is not under \"" + prefix + "\"");
      }
      start = KeyRanges.successor(KeyRanges.bytes(startAfterKey));
    }
    GetOption.Builder option = GetOption.builder()
        .withRange(ByteSequence.from(KeyRanges.prefixEnd(prefixBytes)))
        .withLimit(limit)
        .withRevision(revision);
    ByteSequence from = ByteSequence.from(start);
    GetResponse response = call("list", prefix, () -> kv.get(from, option.build()));
    List<Entry> entries = new ArrayList<>(response.getKvs().size());
    for (KeyValue keyValue : response.getKvs()) {
      entries.add(entry(keyValue));
    }
    // The header carries etcd's current revision, not the one read at.
    long readAt = revision != 0 ? revision : response.getHeader().getRevision();
    return new Page(entries, readAt, response.isMore());
  }

  @Override
  public long create(String key, byte[] value) {
    ByteSequence k = bytes(key);
    TxnResponse response = call("create", key, () -> kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
        .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
        .commit());
    if (!response.isSucceeded()) {
      throw ApiException.of(ApiException.ALREADY_EXISTS, 409, "key \"" + key + "\" already exists");
    }
    return response.getHeader().getRevision();
  }

  @Override
  public long update(String key, byte[] value, long expectedModRevision) {
    TxnResponse response = swap(key, value, expectedModRevision);
    if (!response.isSucceeded()) {
      throw preconditionFailed(key, expectedModRevision, response);
    }
    return response.getHeader().getRevision();
  }

  /** One round trip either way: the transaction's else branch reads the key when it moved on. */
  @Override
  public Swap compareAndSwap(String key, byte[] value, long expectedModRevision) {
    TxnResponse response = swap(key, value, expectedModRevision);
    if (response.isSucceeded()) {
      return Swap.done(response.getHeader().getRevision());
    }
    List<KeyValue> current = response.getGetResponses().isEmpty()
        ? List.of() : response.getGetResponses().get(0).getKvs();
    return Swap.failed(current.stream().findFirst().map(EtcdStorage::entry));
  }

  private TxnResponse swap(String key, byte[] value, long expectedModRevision) {
    requirePositive(expectedModRevision);
    ByteSequence k = bytes(key);
    return call("update", key, () -> kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
        .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
        .Else(Op.get(k, GetOption.DEFAULT))
        .commit());
  }

  @Override
  public long delete(String key, long expectedModRevision) {
    requirePositive(expectedModRevision);
    ByteSequence k = bytes(key);
    TxnResponse response = call("delete", key, () -> kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision)))
        .Then(Op.delete(k, DeleteOption.DEFAULT))
        .Else(Op.get(k, GetOption.DEFAULT))
        .commit());
    if (!response.isSucceeded()) {
      throw preconditionFailed(key, expectedModRevision, response);
    }
    return response.getHeader().getRevision();
  }

  @Override
  public long currentRevision() {
    return currentRevision(timeout);
  }

  private long currentRevision(Duration callTimeout) {
    GetResponse response = call("revision", "", callTimeout,
        () -> kv.get(REVISION_PROBE_KEY, GetOption.builder().withCountOnly(true).build()));
    return response.getHeader().getRevision();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The listener is called on jetcd's I/O threads (one call at a time): it must not block. After an
   * etcd outage the watch resumes as soon as the gRPC channel reconnects, which gRPC paces with an
   * exponential back-off (capped at 2 minutes by grpc-java), so a long outage can add to the delay.
   */
  @Override
  public WatchHandle watch(String prefix, long fromRevision, ChangeListener listener) {
    if (closed) {
      throw ApiException.unavailable("etcd storage is closed", null);
    }
    EtcdWatch watch = new EtcdWatch(client.getWatchClient(), prefix, fromRevision, listener, watchScheduler,
        WATCH_MIN_BACKOFF, WATCH_MAX_BACKOFF, watches::remove);
    watches.add(watch);
    watch.start();
    return watch;
  }

  /**
   * True when etcd answered within the last {@link #HEALTH_FRESHNESS} and the last call did not find it
   * unreachable; otherwise asks etcd for its revision (waiting at most {@link #HEALTH_PROBE_TIMEOUT}).
   */
  @Override
  public boolean isHealthy() {
    if (closed) {
      return false;
    }
    if (!lastCallUnavailable && System.nanoTime() - lastAnswerNanos < HEALTH_FRESHNESS.toNanos()) {
      return true;
    }
    try {
      currentRevision(HEALTH_PROBE_TIMEOUT.compareTo(timeout) < 0 ? HEALTH_PROBE_TIMEOUT : timeout);
      return true;
    } catch (ApiException e) {
      return false;
    }
  }

  /** Ends every open watch (listeners hear ServiceUnavailable) and closes the jetcd client. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("closing etcd storage; ending {} watches", watches.size());
    for (EtcdWatch watch : List.copyOf(watches)) {
      watch.end(ApiException.unavailable("etcd storage closed", null));
    }
    watchScheduler.shutdownNow();
    client.close();
  }

  private <T> T call(String operation, String key, Supplier<CompletableFuture<T>> request) {
    return call(operation, key, timeout, request);
  }

  /**
   * Runs one etcd request, waiting at most {@code callTimeout}, timing it, and mapping any failure to
   * an {@link ApiException}. Only "etcd unreachable" failures count against {@link #isHealthy()}.
   */
  private <T> T call(String operation, String key, Duration callTimeout, Supplier<CompletableFuture<T>> request) {
    if (closed) {
      throw ApiException.unavailable("etcd storage is closed", null);
    }
    long start = System.nanoTime();
    CompletableFuture<T> future = null;
    try {
      future = request.get();
      T result = future.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
      answered();
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancel(future);
      throw ApiException.unavailable("etcd " + operation + " " + key + ": interrupted", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      cancel(future);
      ApiException mapped = EtcdErrors.toApiException(operation, key, e, callTimeout);
      if (mapped.isUnavailable()) {
        lastCallUnavailable = true;
      } else {
        answered();
      }
      throw mapped;
    } finally {
      timer(operation).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private void answered() {
    lastAnswerNanos = System.nanoTime();
    if (lastCallUnavailable) {
      lastCallUnavailable = false;
    }
  }

  private Timer timer(String operation) {
    return timers.computeIfAbsent(operation, op -> Timer.builder("etcd.request.duration")
        .description("Duration of etcd requests made by the API server, by operation")
        .tag("operation", op)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry));
  }

  private static void cancel(CompletableFuture<?> future) {
    if (future != null) {
      future.cancel(true);
    }
  }

  private static ApiException preconditionFailed(String key, long expected, TxnResponse response) {
    List<KeyValue> current = response.getGetResponses().isEmpty()
        ? List.of() : response.getGetResponses().get(0).getKvs();
    if (current.isEmpty()) {
      return ApiException.of(ApiException.NOT_FOUND, 404, "key \"" + key + "\" not found");
    }
    return ApiException.of(ApiException.CONFLICT, 409, "key \"" + key + "\" is at revision "
        + current.get(0).getModRevision() + ", not " + expected
        + ": the object has been modified; please apply your changes to the latest version and try again");
  }

  private static void requirePositive(long expectedModRevision) {
    if (expectedModRevision <= 0) {
      throw new IllegalArgumentException("expected mod revision must be > 0, not " + expectedModRevision);
    }
  }

  private static Entry entry(KeyValue kv) {
    return new Entry(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().getBytes(), kv.getModRevision());
  }

  private static ByteSequence bytes(String key) {
    return ByteSequence.from(KeyRanges.bytes(key));
  }

  @Override
  public String toString() {
    return "EtcdStorage" + (closed ? " (closed)" : "");
  }
}
