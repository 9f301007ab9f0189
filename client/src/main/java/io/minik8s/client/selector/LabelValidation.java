package io.minik8s.client.selector;

import io.minik8s.client.validation.NameRules;
import java.util.List;

/**
 * Kubernetes' rules for label keys and values, shared by selectors and by whoever validates
 * {@code metadata.labels}.
 *
 * <p>A key is an optional DNS-subdomain prefix and a slash, then a name of at most 63 characters made
 * of alphanumerics, {@code -}, {@code _} and {@code .}, starting and ending with an alphanumeric. A value
 * follows the name rule but may be empty.
 */
public final class LabelValidation {
  private LabelValidation() {}

  /** Every problem with {@code key} as a label key; empty when it is valid. */
  public static List<String> keyErrors(String key) {
    return NameRules.qualifiedName(key);
  }

  /** Every problem with {@code value} as a label value; empty when it is valid. */
  public static List<String> valueErrors(String value) {
    return NameRules.labelValue(value);
  }

  static void checkKey(String key) {
    List<String> errors = keyErrors(key);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid label key \"" + key + "\": " + String.join("; ", errors));
    }
  }

  static void checkValue(String key, String value) {
    List<String> errors = valueErrors(value);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid label value \"" + value + "\" for key \"" + key + "\": "
          + String.join("; ", errors));
    }
  }
}
