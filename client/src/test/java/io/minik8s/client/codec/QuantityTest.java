package io.minik8s.client.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QuantityTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
      "2, 2",
      "0.5, 0.5",
      "1.5, 1.5",
      ".5, 0.5",
      "1., 1",
      "-1, -1",
      "+3, 3",
      "250m, 0.25",
      "100u, 0.0001",
      "5n, 0.000000005",
      "1k, 1000",
      "2M, 2000000",
      "1G, 1000000000",
      "1T, 1000000000000",
      "1P, 1000000000000000",
      "1E, 1000000000000000000",
      "1Ki, 1024",
      "64Mi, 67108864",
      "1Gi, 1073741824",
      "1Ti, 1099511627776",
      "1Pi, 1125899906842624",
      "1Ei, 1152921504606846976",
      "1.5Gi, 1610612736",
      "1e3, 1000",
      "12E6, 12000000",
      "5e-3, 0.005",
      "1E+2, 100",
  })
  void parsesEveryKubernetesForm(String text, String amount) {
    Quantity q = Quantity.parse(text);
    assertThat(q.asDecimal()).isEqualByComparingTo(new BigDecimal(amount));
    assertThat(q.toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "1Z", "1kk", "1.2.3", ".", "-", "1 Gi", "Gi", "1gi", "1KI", "1e", "1e1000",
      "0x10", "1_000", " 1"})
  void rejectsWhatKubernetesRejects(String text) {
    assertThatThrownBy(() -> Quantity.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid quantity \"" + text + "\": ");
  }

  @Test
  void saysWhichFormIsExpected() {
    assertThatThrownBy(() -> Quantity.parse("two cores"))
        .hasMessage("invalid quantity \"two cores\": quantities must match the regular expression "
            + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  }

  @Test
  void comparesByAmountNotByText() {
    assertThat(Quantity.parse("1")).isEqualByComparingTo(Quantity.parse("1000m"));
    assertThat(Quantity.parse("1")).isEqualTo(Quantity.parse("1000m"));
    assertThat(Quantity.parse("1").hashCode()).isEqualTo(Quantity.parse("1000m").hashCode());
    assertThat(Quantity.parse("1Gi")).isGreaterThan(Quantity.parse("1G"));
    assertThat(Quantity.parse("1024Mi")).isEqualTo(Quantity.parse("1Gi"));
    assertThat(Quantity.parse("250m")).isLessThan(Quantity.parse("0.3"));
    assertThat(Quantity.parse("1e3")).isEqualTo(Quantity.parse("1k"));
    assertThat(Quantity.parse("0")).isEqualTo(Quantity.parse("0Mi"));
  }

  @Test
  void milliValueAndValueRoundUpAwayFromZero() {
    assertThat(Quantity.parse("250m").milliValue()).isEqualTo(250);
    assertThat(Quantity.parse("2").milliValue()).isEqualTo(2000);
    assertThat(Quantity.parse("0.5").milliValue()).isEqualTo(500);
    assertThat(Quantity.parse("1n").milliValue()).isEqualTo(1);
    assertThat(Quantity.parse("1500u").milliValue()).isEqualTo(2);
    assertThat(Quantity.parse("-1500u").milliValue()).isEqualTo(-2);
    assertThat(Quantity.parse("100m").value()).isEqualTo(1);
    assertThat(Quantity.parse("64Mi").value()).isEqualTo(67_108_864L);
    assertThat(Quantity.parse("1.5").value()).isEqualTo(2);
  }

  @Test
  void hugeAmountsSaturateInsteadOfOverflowing() {
    assertThat(Quantity.parse("1E").value()).isEqualTo(1_000_000_000_000_000_000L);
    assertThat(Quantity.parse("1E").milliValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(Quantity.parse("-1e30").value()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void arithmeticKeepsTheReceiversForm() {
    assertThat(Quantity.parse("250m").add(Quantity.parse("1")).toString()).isEqualTo("1250m");
    assertThat(Quantity.parse("1").add(Quantity.parse("1")).toString()).isEqualTo("2");
    assertThat(Quantity.parse("1Gi").subtract(Quantity.parse("512Mi")).toString()).isEqualTo("512Mi");
    assertThat(Quantity.parse("64Mi").add(Quantity.parse("64Mi")).toString()).isEqualTo("128Mi");
    assertThat(Quantity.parse("1Gi").add(Quantity.parse("1k")).toString()).isEqualTo("1073742824");
    assertThat(Quantity.parse("1").subtract(Quantity.parse("1500m")).toString()).isEqualTo("-500m");
    assertThat(Quantity.parse("1e3").add(Quantity.parse("1e3")).toString()).isEqualTo("2e3");
    assertThat(Quantity.parse("1").subtract(Quantity.parse("1")).isZero()).isTrue();
  }

  @Test
  void canonicalFormIsKubernetes() {
    assertThat(Quantity.parse("0.5").canonical()).isEqualTo("500m");
    assertThat(Quantity.parse("1024Mi").canonical()).isEqualTo("1Gi");
    assertThat(Quantity.parse("2000").canonical()).isEqualTo("2k");
    assertThat(Quantity.parse("1500").canonical()).isEqualTo("1500");
    assertThat(Quantity.parse("0.1Gi").canonical()).isEqualTo("107374182400m");
    assertThat(Quantity.parse("0").canonical()).isEqualTo("0");
  }

  @Test
  void formatsNodeCapacityLikeKubernetes() {
    assertThat(Quantity.formatMillis(250)).isEqualTo("250m");
    assertThat(Quantity.formatMillis(2000)).isEqualTo("2");
    assertThat(Quantity.formatMillis(1500)).isEqualTo("1500m");
    assertThat(Quantity.formatMillis(0)).isEqualTo("0");
    assertThat(Quantity.formatBytes(64L * 1024 * 1024)).isEqualTo("64Mi");
    assertThat(Quantity.formatBytes(16L * 1024 * 1024 * 1024)).isEqualTo("16Gi");
    assertThat(Quantity.formatBytes(16_331_156L * 1024)).isEqualTo("16331156Ki");
    assertThat(Quantity.formatBytes(1536)).isEqualTo("1536");
    assertThat(Quantity.formatBytes(0)).isEqualTo("0");
    assertThat(Quantity.parse(Quantity.formatBytes(123_456_789L)).value()).isEqualTo(123_456_789L);
  }
}
