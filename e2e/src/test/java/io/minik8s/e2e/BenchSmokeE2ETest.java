package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minik8s.bench.BenchMain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every benchmark in a few iterations, so that none of them rots between full runs of bench/run.sh. */
class BenchSmokeE2ETest {
  @Test
  void podStartupBenchmarkRunsAndReportsNumbersBesideTheRawFloor() throws Exception {
    Path results = Files.createTempDirectory("bench-results");
    int exit = new CommandLine(new BenchMain()).execute("pod-startup", "--smoke", "--results", results.toString());
    assertThat(exit).isZero();
    JsonNode doc = new ObjectMapper().readTree(results.resolve("pod-startup-smoke.json").toFile());
    JsonNode r = doc.get("result");
    for (String part : new String[] {"rawCriFloor", "sequential", "burst"}) {
      assertThat(r.get(part).get("count").asInt()).as(part).isEqualTo(3);
      assertThat(r.get(part).get("p50").asDouble()).as(part).isPositive();
    }
    assertThat(doc.get("machine").get("cores").asInt()).isPositive();
  }

  @Test
  void schedulingBenchmarkBindsEveryPodOntoHollowNodesAndReportsRatesBesideRawEtcd() throws Exception {
    Path results = Files.createTempDirectory("bench-results");
    int exit = new CommandLine(new BenchMain()).execute("scheduling", "--smoke", "--results", results.toString());
    assertThat(exit).isZero();
    JsonNode r = new ObjectMapper().readTree(results.resolve("scheduling-smoke.json").toFile()).get("result");
    assertThat(r.get("nodes").asInt()).isEqualTo(20);
    assertThat(r.get("createToBound").get("count").asInt()).isEqualTo(200);
    assertThat(r.get("createToRunning").get("count").asInt()).isEqualTo(200);
    assertThat(r.get("boundPerSecondOverall").asDouble()).isPositive();
    assertThat(r.get("rawEtcd").get("putsPerSecond").asDouble()).isPositive();
    assertThat(r.get("scheduler").get("scheduled").asDouble()).isEqualTo(200);
  }

  @Test
  void memoryBenchmarkReportsEveryProcessIdleWithNodesAndWithPods() throws Exception {
    Path results = Files.createTempDirectory("bench-results");
    int exit = new CommandLine(new BenchMain()).execute("memory", "--smoke", "--results", results.toString());
    assertThat(exit).isZero();
    JsonNode r = new ObjectMapper().readTree(results.resolve("memory-smoke.json").toFile()).get("result");
    for (String process : new String[] {"apiserver", "scheduler", "controller-manager", "hollow-nodes"}) {
      JsonNode m = r.get("loaded").get(process);
      assertThat(m.get("rssBytes").asLong()).as(process).isGreaterThan(10L << 20);
      assertThat(m.get("heapAfterGcBytes").asLong()).as(process).isPositive();
    }
    assertThat(r.get("idle").has("hollow-nodes")).isFalse();
    assertThat(r.get("withNodes").get("hollow-nodes").get("rssBytes").asLong()).isPositive();
  }
}
