package io.minik8s.client.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity: {@code "250m"}, {@code "2"}, {@code "0.5"}, {@code "64Mi"},
 * {@code "1e3"}. Immutable and thread-safe.
 *
 * <p>The amount is exact ({@link BigDecimal}); the text it was parsed from is kept as {@link #toString()}.
 * Equality and ordering are by amount, as in Kubernetes: {@code "1"} equals {@code "1000m"}.
 *
 * <p>Accepted forms, as in Kubernetes: an optionally signed decimal number followed by nothing, a
 * decimal SI suffix ({@code n u m k M G T P E}), a binary suffix ({@code Ki Mi Gi Ti Pi Ei}) or a
 * decimal exponent ({@code e3}, {@code E-2}). Exponents are limited to ±{@value #MAX_EXPONENT} so
 * that no quantity can make arithmetic on it unbounded.
 */
public final class Quantity implements Comparable<Quantity> {
  /** Kubernetes' own wording and pattern, so users see the message they know. */
  static final String FORMAT_ERROR =
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

  private static final Pattern KUBERNETES_FORM = Pattern.compile("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$");
  private static final int MAX_EXPONENT = 100;
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal MIN_LONG = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final String[] DECIMAL_SUFFIXES = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
  private static final int DECIMAL_SUFFIX_ZERO = 3;
  private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  /** How a quantity was written, which is also how results of arithmetic on it are written. */
  private enum Format {
    DECIMAL_SI,
    BINARY_SI,
    DECIMAL_EXPONENT
  }

  private final String text;
  private final BigDecimal value;
  private final Format format;

  private Quantity(String text, BigDecimal value, Format format) {
    this.text = text;
    this.value = value;
    this.format = format;
  }

  /**
   * Parses a quantity.
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static Quantity parse(String text) {
    Objects.requireNonNull(text, "text");
    if (!KUBERNETES_FORM.matcher(text).matches()) {
      throw invalid(text, FORMAT_ERROR);
    }
    int i = 0;
    int n = text.length();
    boolean negative = false;
    if (text.charAt(0) == '+' || text.charAt(0) == '-') {
      negative = text.charAt(0) == '-';
      i++;
    }
    int numberStart = i;
    int digits = 0;
    boolean dot = false;
    while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
      if (text.charAt(i) == '.') {
        if (dot) {
          throw invalid(text, "unable to parse quantity's numeric part");
        }
        dot = true;
      } else {
        digits++;
      }
      i++;
    }
    if (digits == 0) {
      throw invalid(text, "unable to parse quantity's numeric part");
    }
    BigDecimal number = new BigDecimal(normalizeNumber(text.substring(numberStart, i)));
    if (negative) {
      number = number.negate();
    }
    String suffix = text.substring(i);
    Format format;
    BigDecimal value;
    int decimal = indexOf(DECIMAL_SUFFIXES, suffix);
    int binary = indexOf(BINARY_SUFFIXES, suffix);
    if (decimal >= 0) {
      format = Format.DECIMAL_SI;
      value = number.scaleByPowerOfTen(3 * (decimal - DECIMAL_SUFFIX_ZERO));
    } else if (binary >= 0) {
      format = Format.BINARY_SI;
      value = number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(10 * binary)));
    } else if (suffix.matches("[eE][-+]?[0-9]+")) {
      int exponent;
      try {
        exponent = Integer.parseInt(suffix.substring(1));
      } catch (NumberFormatException e) {
        throw invalid(text, "exponent out of range");
      }
      if (Math.abs(exponent) > MAX_EXPONENT) {
        throw invalid(text, "exponent out of range (at most " + MAX_EXPONENT + ")");
      }
      format = Format.DECIMAL_EXPONENT;
      value = number.scaleByPowerOfTen(exponent);
    } else {
      throw invalid(text, "unable to parse quantity's suffix");
    }
    return new Quantity(text, value, format);
  }

  /** CPU in millicores as Kubernetes prints it: 2000 → {@code "2"}, 250 → {@code "250m"}, 1500 → {@code "1500m"}. */
  public static String formatMillis(long millis) {
    if (millis % 1000 == 0) {
      return Long.toString(millis / 1000);
    }
    return millis + "m";
  }

  /**
   * Bytes as Kubernetes prints them: the largest binary suffix that keeps the number whole
   * ({@code 67108864} → {@code "64Mi"}, {@code 3072} → {@code "3Ki"}, {@code 1536} → {@code "1536"}).
   */
  public static String formatBytes(long bytes) {
    return formatBinary(BigInteger.valueOf(bytes));
  }

  /** The exact amount (Kubernetes' AsDec). */
  public BigDecimal asDecimal() {
    return value;
  }

  /** The amount in thousandths, rounded up away from zero (Kubernetes' MilliValue); saturates at the long range. */
  public long milliValue() {
    return saturatedLong(value.multiply(THOUSAND));
  }

  /** The amount rounded up away from zero (Kubernetes' Value); saturates at the long range. */
  public long value() {
    return saturatedLong(value);
  }

  public Quantity add(Quantity other) {
    return of(value.add(other.value), format);
  }

  public Quantity subtract(Quantity other) {
    return of(value.subtract(other.value), format);
  }

  public boolean isZero() {
    return value.signum() == 0;
  }

  /**
   * The amount written as Kubernetes writes it in the form this quantity was written in:
   * {@code "0.5"} → {@code "500m"}, {@code "1024Mi"} → {@code "1Gi"}, {@code "2000"} → {@code "2k"}.
   * Amounts finer than a nano are rounded up, as Kubernetes does.
   */
  public String canonical() {
    return format(value, format);
  }

  @Override
  public int compareTo(Quantity other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity q && value.compareTo(q.value) == 0;
  }

  @Override
  public int hashCode() {
    return value.signum() == 0 ? 0 : value.stripTrailingZeros().hashCode();
  }

  /** The text this quantity was parsed from, or the canonical form of a computed one. */
  @Override
  public String toString() {
    return text;
  }

  private static Quantity of(BigDecimal value, Format format) {
    return new Quantity(format(value, format), value, format);
  }

  private static String format(BigDecimal value, Format format) {
    if (format == Format.BINARY_SI && value.signum() >= 0) {
      BigDecimal whole = value.stripTrailingZeros();
      if (whole.scale() <= 0) {
        return formatBinary(whole.toBigIntegerExact());
      }
      // Kubernetes falls back to decimal SI for fractional binary amounts.
    }
    BigInteger nanos = value.setScale(9, RoundingMode.UP).unscaledValue();
    if (nanos.signum() == 0) {
      return "0";
    }
    int exponent = -9;
    BigInteger thousand = BigInteger.valueOf(1000);
    while (exponent < 18) {
      BigInteger[] qr = nanos.divideAndRemainder(thousand);
      if (qr[1].signum() != 0) {
        break;
      }
      nanos = qr[0];
      exponent += 3;
    }
    if (format == Format.DECIMAL_EXPONENT) {
      return exponent == 0 ? nanos.toString() : nanos + "e" + exponent;
    }
    return nanos + DECIMAL_SUFFIXES[exponent / 3 + DECIMAL_SUFFIX_ZERO];
  }

  private static String formatBinary(BigInteger amount) {
    if (amount.signum() == 0) {
      return "0";
    }
    int suffix = 0;
    BigInteger whole = amount;
    while (suffix < BINARY_SUFFIXES.length - 1 && whole.getLowestSetBit() >= 10) {
      whole = whole.shiftRight(10);
      suffix++;
    }
    return whole + BINARY_SUFFIXES[suffix];
  }

  private static long saturatedLong(BigDecimal amount) {
    BigDecimal rounded = amount.setScale(0, RoundingMode.UP);
    if (rounded.compareTo(MAX_LONG) > 0) {
      return Long.MAX_VALUE;
    }
    if (rounded.compareTo(MIN_LONG) < 0) {
      return Long.MIN_VALUE;
    }
    return rounded.longValueExact();
  }

  /** {@link BigDecimal} refuses {@code "1."} and {@code ".5"}, which Kubernetes accepts. */
  private static String normalizeNumber(String number) {
    if (number.startsWith(".")) {
      number = "0" + number;
    }
    if (number.endsWith(".")) {
      number = number.substring(0, number.length() - 1);
    }
    return number;
  }

  private static int indexOf(String[] suffixes, String suffix) {
    for (int i = 0; i < suffixes.length; i++) {
      if (suffixes[i].equals(suffix)) {
        return i;
      }
    }
    return -1;
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid quantity \"" + text + "\": " + why);
  }
}
