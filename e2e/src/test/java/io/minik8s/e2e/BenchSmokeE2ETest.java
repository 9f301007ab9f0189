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
}
