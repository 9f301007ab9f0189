package io.minik8s.bench;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchEvent;
import io.minik8s.api.Namespace;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiClient.WatchEventType;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.testkit.Cluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Watch fan-out: W watchers on the pods of one namespace through the API server's gRPC watch (its watch cache
 * feeds them all from one etcd watch) while P pods are created through it, 16 at a time; delivery latency is
 * from each create call's return (the write acknowledged) to each watcher receiving the event, and every
 * watcher must see every pod exactly once, in revision order (misses, duplicates, out-of-order events and
 * watches ended by the server are counted). Beside it, the raw baseline: R jetcd watchers straight on etcd,
 * on a prefix of their own, while the same pod bytes are written there by jetcd, 16 at a time; each raw
 * watcher parses the pod too, as an API client does.
 *
 * <p>The watchers share connections, {@value #WATCHERS_PER_CHANNEL} per connection on both sides (one gRPC channel,
 * or one jetcd client, each), as client processes with many informers share one; all of them live in this JVM,
 * whose CPU (decoding every event once per watcher) is reported with the servers'.
 */
final class WatchFanoutBenchmark implements Benchmark {
  static final String NAMESPACE = "bench-fanout";
  static final String RAW_PREFIX = "/bench-raw/fanout/";
  static final int WATCHERS_PER_CHANNEL = 50;
  static final int WRITERS = 16;
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(180);

  private final int watchers;
  private final int rawWatchers;
  private final int pods;

  WatchFanoutBenchmark(int watchers, int rawWatchers, int pods) {
    this.watchers = watchers;
    this.rawWatchers = rawWatchers;
    this.pods = pods;
  }

  @Override
  public String name() {
    return "watch-fanout";
  }

  @Override
  public Map<String, Object> run(BenchOptions options) throws Exception {
    int w = options.smoke() ? 10 : watchers;
    int r = options.smoke() ? 10 : rawWatchers;
    int p = options.smoke() ? 100 : pods;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("pods", p);
    result.put("writers", WRITERS);
    try (Cluster cluster = Cluster.startControlPlane(); RawEtcd raw = RawEtcd.connect(cluster.etcd().endpoint())) {
      ApiClient client = cluster.client();
      client.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(NAMESPACE)).build());
      LoadRun.run(options.smoke() ? 10 : 200, WRITERS, i -> client.create(ApiWritesBenchmark.pod(NAMESPACE, "warmup-" + i)));
      result.put("api", apiFanout(cluster, w, p));
      result.put("raw", rawFanout(raw, cluster.etcd().endpoint(), cluster.etcd().pid(), r, p));
    }
    return result;
  }

  private static Map<String, Object> apiFanout(Cluster cluster, int watcherCount, int podCount) throws Exception {
    ApiClient writer = cluster.client();
    String from = writer.list(Kinds.POD, ListOptions.inNamespace(NAMESPACE)).resourceVersion();
    FanoutRecorder recorder = new FanoutRecorder(watcherCount, podCount);
    List<ApiClient> channels = new ArrayList<>();
    List<ApiClient.Watch> watches = new ArrayList<>();
    try {
      for (int w = 0; w < watcherCount; w++) {
        if (w % WATCHERS_PER_CHANNEL == 0) {
          channels.add(ApiClient.connect(cluster.server()));
        }
        int watcher = w;
        watches.add(channels.get(channels.size() - 1).watch(Kinds.POD, new WatchOptions(NAMESPACE, "", "", from, false),
            new ApiClient.WatchListener<>() {
              @Override
              public void onEvent(WatchEventType type, Pod pod) {
                String name = pod.getMetadata().getName();
                if (type == WatchEventType.ADDED && name.startsWith("f-")) {
                  recorder.received(watcher, Integer.parseInt(name.substring(2)),
                      Long.parseLong(pod.getMetadata().getResourceVersion()));
                }
              }

              @Override
              public void onClose(ApiException error) {
                recorder.ended(watcher, error);
              }
            }));
      }
      URI metrics = URI.create("http://127.0.0.1:" + cluster.apiHealthPort() + "/metrics");
      await("the API server to serve " + watcherCount + " watchers", Duration.ofSeconds(60),
          () -> registeredWatchers(metrics) >= watcherCount);

      long apiPid = cluster.apiServer().pid();
      long etcdPid = cluster.etcd().pid();
      double apiCpu0 = ProcessCpu.seconds(apiPid);
      double etcdCpu0 = ProcessCpu.seconds(etcdPid);
      double benchCpu0 = ProcessCpu.seconds(ProcessHandle.current().pid());
      LoadRun writes = LoadRun.run(podCount, WRITERS, i -> writer.create(ApiWritesBenchmark.pod(NAMESPACE, "f-" + i)));
      boolean complete = recorder.awaitAll(DELIVERY_TIMEOUT);
      Map<String, Object> side = summary(recorder, writes, watcherCount, podCount, complete);
      side.put("apiServerCpuSeconds", ProcessCpu.seconds(apiPid) - apiCpu0);
      side.put("etcdCpuSeconds", ProcessCpu.seconds(etcdPid) - etcdCpu0);
      side.put("benchCpuSeconds", ProcessCpu.seconds(ProcessHandle.current().pid()) - benchCpu0);
      return side;
    } finally {
      watches.forEach(ApiClient.Watch::cancel);
      channels.forEach(ApiClient::close);
    }
  }

  private static Map<String, Object> rawFanout(RawEtcd writer, String endpoint, long etcdPid, int watcherCount,
      int podCount) throws Exception {
    List<byte[]> values = new ArrayList<>(writer.values("/registry/pods/" + NAMESPACE + "/f-").values());
    if (values.size() != podCount) {
      throw new IllegalStateException("found " + values.size() + " stored pods, expected " + podCount);
    }
    long from = writer.revision() + 1;
    FanoutRecorder recorder = new FanoutRecorder(watcherCount, podCount);
    AtomicInteger created = new AtomicInteger();
    List<RawEtcd> clients = new ArrayList<>();
    List<Watch.Watcher> watches = new ArrayList<>();
    try {
      for (int w = 0; w < watcherCount; w++) {
        if (w % WATCHERS_PER_CHANNEL == 0) {
          clients.add(RawEtcd.connect(endpoint));
        }
        int watcher = w;
        watches.add(clients.get(clients.size() - 1).watch(RAW_PREFIX, from, response -> {
          if (response.isCreatedNotify()) {
            created.incrementAndGet();
          }
          for (WatchEvent event : response.getEvents()) {
            if (event.getEventType() != WatchEvent.EventType.PUT) {
              continue;
            }
            String key = event.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
            try {
              Pod.parseFrom(event.getKeyValue().getValue().getBytes()); // as an API client decodes what it gets
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
              throw new IllegalStateException("corrupt pod under " + key, e);
            }
            recorder.received(watcher, Integer.parseInt(key.substring(RAW_PREFIX.length() + 2)),
                event.getKeyValue().getModRevision());
          }
        }, error -> recorder.ended(watcher, error)));
      }
      await("etcd to confirm " + watcherCount + " watches", Duration.ofSeconds(60),
          () -> created.get() >= watcherCount);

      double etcdCpu0 = ProcessCpu.seconds(etcdPid);
      double benchCpu0 = ProcessCpu.seconds(ProcessHandle.current().pid());
      LoadRun writes = LoadRun.run(podCount, WRITERS, i -> writer.create(RAW_PREFIX + "f-" + i, values.get(i)));
      boolean complete = recorder.awaitAll(DELIVERY_TIMEOUT);
      Map<String, Object> side = summary(recorder, writes, watcherCount, podCount, complete);
      side.put("etcdCpuSeconds", ProcessCpu.seconds(etcdPid) - etcdCpu0);
      side.put("benchCpuSeconds", ProcessCpu.seconds(ProcessHandle.current().pid()) - benchCpu0);
      return side;
    } finally {
      watches.forEach(Watch.Watcher::close);
      clients.forEach(RawEtcd::close);
    }
  }

  private static Map<String, Object> summary(FanoutRecorder recorder, LoadRun writes, int watcherCount,
      int podCount, boolean complete) {
    FanoutRecorder.Delivery delivery = recorder.latencies(writes.started(), writes.returned());
    Map<String, Object> side = new LinkedHashMap<>();
    side.put("watchers", watcherCount);
    side.put("expectedDeliveries", (long) watcherCount * podCount);
    side.put("delivery", delivery.fromAck());
    side.put("deliveryFromWriteStart", delivery.fromWrite());
    side.put("receivedBeforeAck", delivery.beforeAck());
    side.put("missed", recorder.missed());
    side.put("duplicates", recorder.duplicates());
    side.put("outOfOrder", recorder.outOfOrder());
    side.put("watchesEndedWithError", recorder.errors().size());
    side.put("firstErrors", recorder.errors().stream().limit(3).toList());
    side.put("allDeliveredWithinTimeout", complete);
    side.put("writesPerSecond", writes.perSecond());
    return side;
  }

  private static long registeredWatchers(URI metrics) {
    try {
      String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : (Iterable<String>) text.lines()::iterator) {
        if (line.startsWith("apiserver_registered_watchers ")) {
          return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
      }
    } catch (java.io.IOException e) {
      // not answering yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("waited " + timeout + " for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void print(Map<String, Object> r) {
    System.out.println();
    System.out.printf("watch fan-out: %d pods created (%d writers) while watchers watch; delivery = write acknowledged"
        + " -> watcher has the event (seconds)%n", r.get("pods"), r.get("writers"));
    System.out.printf("%-26s %8s %8s | %6s %6s %6s | %6s %6s | %7s %4s %5s %5s | %s%n", "", "", "",
        "from", "ack", "", "from", "write", "", "", "", "", "");
    System.out.printf("%-26s %8s %8s | %6s %6s %6s | %6s %6s | %7s %4s %5s %5s | %s%n", "side", "watchers",
        "writes/s", "p50", "p99", "max", "p50", "p99", "missed", "dup", "order", "ended", "before ack");
    row("minik8s API server watch", (Map<String, Object>) r.get("api"));
    row("raw jetcd watch on etcd", (Map<String, Object>) r.get("raw"));
    Map<String, Object> api = (Map<String, Object>) r.get("api");
    Map<String, Object> raw = (Map<String, Object>) r.get("raw");
    System.out.printf("CPU seconds: API side: API server %.1f, etcd %.1f, watchers (this JVM) %.1f; raw side: etcd %.1f,"
        + " watchers %.1f%n", api.get("apiServerCpuSeconds"), api.get("etcdCpuSeconds"), api.get("benchCpuSeconds"),
        raw.get("etcdCpuSeconds"), raw.get("benchCpuSeconds"));
  }

  private static void row(String name, Map<String, Object> side) {
    Percentiles ack = (Percentiles) side.get("delivery");
    Percentiles write = (Percentiles) side.get("deliveryFromWriteStart");
    System.out.printf("%-26s %8d %8.0f | %6.3f %6.3f %6.3f | %6.3f %6.3f | %7d %4d %5d %5d | %d%n", name,
        side.get("watchers"), side.get("writesPerSecond"), ack.p50(), ack.p99(), ack.max(), write.p50(), write.p99(),
        side.get("missed"), side.get("duplicates"), side.get("outOfOrder"), side.get("watchesEndedWithError"),
        side.get("receivedBeforeAck"));
  }
}
