package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minik8s.bench.BenchMain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every benchmark in a few iterations, so that none of them rots between full runs of bench/run.sh. The
 * numbers themselves are not judged here (timed tests on a shared machine only flake); their presence and
 * the correctness checks the benchmarks make (every watch event exactly once, every change programmed) are.
 */
class BenchSmokeE2ETest {
  @Test
  void podStartupBenchmarkRunsAndReportsNumbersBesideTheRawFloor() throws Exception {
    JsonNode doc = smoke("pod-startup");
    JsonNode r = doc.get("result");
    for (String part : new String[] {"rawCriFloor", "sequential", "burst"}) {
      assertThat(r.get(part).get("count").asInt()).as(part).isEqualTo(3);
      assertThat(r.get(part).get("p50").asDouble()).as(part).isPositive();
    }
    assertThat(doc.get("machine").get("cores").asInt()).isPositive();
  }

  @Test
  void kubeProxySyncBenchmarkTimesTheProxierBesideRawIptablesRestore() throws Exception {
    JsonNode row = smoke("kube-proxy-sync").get("result").get("sizes").get(0);
    assertThat(row.get("services").asInt()).isEqualTo(50);
    assertThat(row.get("rules").asInt()).as("50 services x (1 + 6 + 5 x 2) rules, plus a few").isGreaterThan(800);
    for (String field : new String[] {"proxierSeconds", "generateSeconds", "rawSeconds", "rawChainlessFirstSeconds",
        "rawOneServiceSeconds", "ratio"}) {
      assertThat(row.get(field).asDouble()).as(field).isPositive();
    }
  }

  @Test
  void kubeProxyLatencyBenchmarkSeesEveryEndpointsChangeProgrammed() throws Exception {
    JsonNode r = smoke("kube-proxy-latency").get("result");
    assertThat(r.get("latency").get("count").asInt()).isEqualTo(4);
    assertThat(r.get("latency").get("p50").asDouble()).isPositive();
    assertThat(r.get("pollResolution").get("count").asInt()).isGreaterThanOrEqualTo(4);
    assertThat(r.get("kubeProxySyncs").asDouble()).as("syncs seen in kube-proxy's /metrics").isGreaterThanOrEqualTo(1);
    assertThat(r.get("targetSeconds").asDouble()).isEqualTo(1.1);
  }

  @Test
  void apiWritesBenchmarkWritesEveryConcurrencyThroughTheApiServerAndStraightToEtcd() throws Exception {
    JsonNode levels = smoke("api-writes").get("result").get("levels");
    assertThat(levels).extracting(l -> l.get("concurrency").asInt()).containsExactly(1, 16, 64);
    for (JsonNode level : levels) {
      assertThat(level.get("apiLatency").get("count").asInt()).isEqualTo(30);
      assertThat(level.get("rawLatency").get("count").asInt()).isEqualTo(30);
      assertThat(level.get("apiPerSecond").asDouble()).isPositive();
      assertThat(level.get("rawPerSecond").asDouble()).isPositive();
      assertThat(level.get("podBytes").asDouble()).as("the stored pods, defaults included").isGreaterThan(100);
    }
  }

  @Test
  void watchFanoutBenchmarkDeliversEveryEventToEveryWatcherExactlyOnce() throws Exception {
    JsonNode r = smoke("watch-fanout").get("result");
    for (String side : new String[] {"api", "raw"}) {
      JsonNode s = r.get(side);
      assertThat(s.get("watchers").asInt()).as(side).isEqualTo(10);
      assertThat(s.get("delivery").get("count").asInt()).as(side).isEqualTo(10 * 100);
      assertThat(s.get("missed").asLong()).as(side).isZero();
      assertThat(s.get("duplicates").asLong()).as(side).isZero();
      assertThat(s.get("outOfOrder").asLong()).as(side).isZero();
      assertThat(s.get("watchesEndedWithError").asInt()).as(side).isZero();
    }
  }

  @Test
  void schedulingBenchmarkBindsEveryPodOntoHollowNodesAndReportsRatesBesideRawEtcd() throws Exception {
    JsonNode r = smoke("scheduling").get("result");
    assertThat(r.get("nodes").asInt()).isEqualTo(20);
    assertThat(r.get("createToBound").get("count").asInt()).isEqualTo(200);
    assertThat(r.get("createToRunning").get("count").asInt()).isEqualTo(200);
    assertThat(r.get("boundPerSecondOverall").asDouble()).isPositive();
    assertThat(r.get("rawEtcd").get("putsPerSecond").asDouble()).isPositive();
    assertThat(r.get("scheduler").get("scheduled").asDouble()).isEqualTo(200);
    assertThat(r.get("apiserverPerPod").get("cpuMs").asDouble()).isPositive();
    assertThat(r.get("apiserverPerPod").get("etcdRequests").get("create").asDouble())
        .as("the pod, and Events about it").isGreaterThanOrEqualTo(1);
    JsonNode backlog = r.get("backlog");
    assertThat(backlog.get("createdPerSecond").asDouble()).isPositive();
    assertThat(backlog.get("boundPerSecondFromStart").asDouble()).isPositive();
    assertThat(backlog.get("scheduler").get("scheduled").asDouble()).as("the backlog's own scheduler").isEqualTo(200);
  }

  @Test
  void memoryBenchmarkReportsEveryProcessIdleWithNodesAndWithPods() throws Exception {
    JsonNode r = smoke("memory").get("result");
    for (String process : new String[] {"apiserver", "scheduler", "controller-manager", "hollow-nodes"}) {
      JsonNode m = r.get("loaded").get(process);
      assertThat(m.get("rssBytes").asLong()).as(process).isGreaterThan(10L << 20);
      assertThat(m.get("heapAfterGcBytes").asLong()).as(process).isPositive();
    }
    assertThat(r.get("idle").has("hollow-nodes")).isFalse();
    assertThat(r.get("withNodes").get("hollow-nodes").get("rssBytes").asLong()).isPositive();
  }

  /** Runs {@code bench NAME --smoke} and returns the JSON it wrote. */
  private static JsonNode smoke(String name) throws Exception {
    Path results = Files.createTempDirectory("bench-results");
    int exit = new CommandLine(new BenchMain()).execute(name, "--smoke", "--results", results.toString());
    assertThat(exit).as(name + " exit code").isZero();
    return new ObjectMapper().readTree(results.resolve(name + "-smoke.json").toFile());
  }
}
