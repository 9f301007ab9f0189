package io.minik8s.client.printers;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({
      "0, 0s",
      "45, 45s",
      "119, 119s",
      "120, 2m",
      "192, 3m12s",
      "599, 9m59s",
      "600, 10m",
      "1500, 25m",
      "10799, 179m",
      "10800, 3h",
      "18600, 5h10m",
      "28799, 7h59m",
      "28800, 8h",
      "172799, 47h",
      "172800, 2d",
      "273600, 3d4h",
      "691199, 7d23h",
      "691200, 8d",
      "10368000, 120d",
      "63071999, 729d",
      "63072000, 2y",
      "64800000, 2y20d",
      "252288000, 8y",
      "315360000, 10y",
  })
  void formatsLikeKubectl(long seconds, String expected) {
    assertThat(HumanDuration.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @Test
  void toleratesClocksSlightlyAheadButNotMore() {
    assertThat(HumanDuration.format(Duration.ofMillis(-1500))).isEqualTo("0s");
    assertThat(HumanDuration.format(Duration.ofSeconds(-2))).isEqualTo("<invalid>");
  }

  @Test
  void anUnsetTimeIsUnknown() {
    assertThat(HumanDuration.since(Timestamp.getDefaultInstance(), Instant.now())).isEqualTo("<unknown>");
    assertThat(HumanDuration.since(Timestamp.newBuilder().setSeconds(1000).build(), Instant.ofEpochSecond(1045)))
        .isEqualTo("45s");
  }
}
