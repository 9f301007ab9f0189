package io.minik8s.client.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Kubernetes' rules for label keys and values, shared by selectors and by whoever validates
 * {@code metadata.labels}.
 *
 * <p>A key is an optional DNS-subdomain prefix and a slash, then a name of at most 63 characters made
 * of alphanumerics, {@code -}, {@code _} and {@code .}, starting and ending with an alphanumeric. A value
 * follows the name rule but may be empty.
 */
public final class LabelValidation {
  private static final int NAME_MAX = 63;
  private static final int PREFIX_MAX = 253;
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private LabelValidation() {}

  /** Every problem with {@code key} as a label key; empty when it is valid. */
  public static List<String> keyErrors(String key) {
    List<String> errors = new ArrayList<>();
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty()) {
        errors.add("prefix part must be non-empty");
      } else if (prefix.length() > PREFIX_MAX) {
        errors.add("prefix part must be no more than " + PREFIX_MAX + " characters");
      } else if (!DNS_SUBDOMAIN.matcher(prefix).matches()) {
        errors.add("prefix part must be a lowercase DNS subdomain (e.g. 'example.com')");
      }
    }
    if (name.isEmpty()) {
      errors.add("name part must be non-empty");
    } else if (name.length() > NAME_MAX) {
      errors.add("name part must be no more than " + NAME_MAX + " characters");
    } else if (!NAME.matcher(name).matches()) {
      errors.add("name part must consist of alphanumeric characters, '-', '_' or '.', "
          + "and must start and end with an alphanumeric character");
    }
    return errors;
  }

  /** Every problem with {@code value} as a label value; empty when it is valid. */
  public static List<String> valueErrors(String value) {
    List<String> errors = new ArrayList<>();
    if (value.length() > NAME_MAX) {
      errors.add("must be no more than " + NAME_MAX + " characters");
    } else if (!value.isEmpty() && !NAME.matcher(value).matches()) {
      errors.add("must be empty or consist of alphanumeric characters, '-', '_' or '.', "
          + "and must start and end with an alphanumeric character");
    }
    return errors;
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
