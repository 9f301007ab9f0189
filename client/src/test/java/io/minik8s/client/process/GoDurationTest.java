package io.minik8s.client.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GoDurationTest {
  @Test
  void parsesGoDurations() {
    assertThat(GoDuration.parse("0")).isZero();
    assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("2h")).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void rejectsOtherForms() {
    assertThatThrownBy(() -> GoDuration.parse("10")).hasMessageContaining("invalid duration \"10\"");
    assertThatThrownBy(() -> GoDuration.parse("5 s")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GoDuration.parse("1d")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GoDuration.PositiveConverter().convert("0s"))
        .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("longer than zero");
  }
}
