package io.minik8s.client.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Kubernetes' syntax rules for names, labels and ports, shared by the API server's validation and by
 * the selectors of every client. Each check returns the list of problems
 * (empty when valid) with Kubernetes' wording, so callers can report them under any field path.
 */
public final class NameRules {
  private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS1123_LABEL_RE = Pattern.compile(DNS1123_LABEL);
  private static final Pattern DNS1123_SUBDOMAIN_RE =
      Pattern.compile(DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*");
  private static final Pattern DNS1035_LABEL_RE = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern QUALIFIED_NAME_RE =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE_RE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern IANA_SVC_NAME_RE = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

  private NameRules() {}

  public static List<String> dns1123Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add("must be no more than 63 characters");
    }
    if (!DNS1123_LABEL_RE.matcher(value).matches()) {
      errs.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must"
          + " start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for"
          + " validation is '" + DNS1123_LABEL + "')");
    }
    return errs;
  }

  public static List<String> dns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 253) {
      errs.add("must be no more than 253 characters");
    }
    if (!DNS1123_SUBDOMAIN_RE.matcher(value).matches()) {
      errs.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.',"
          + " and must start and end with an alphanumeric character (e.g. 'example.com', regex used for"
          + " validation is '" + DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*')");
    }
    return errs;
  }

  /** Service names: an RFC 1035 label (starts with a letter). */
  public static List<String> dns1035Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add("must be no more than 63 characters");
    }
    if (!DNS1035_LABEL_RE.matcher(value).matches()) {
      errs.add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an"
          + " alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123',"
          + " regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    }
    return errs;
  }

  /** Label and annotation keys: an optional DNS subdomain prefix and a name of at most 63 characters. */
  public static List<String> qualifiedName(String value) {
    List<String> errs = new ArrayList<>();
    String name = value;
    int slash = value.indexOf('/');
    if (slash >= 0) {
      String prefix = value.substring(0, slash);
      name = value.substring(slash + 1);
      if (prefix.isEmpty()) {
        errs.add("prefix part must be non-empty");
      } else {
        for (String e : dns1123Subdomain(prefix)) {
          errs.add("prefix part " + e);
        }
      }
      if (name.indexOf('/') >= 0) {
        errs.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start"
            + " and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'");
        return errs;
      }
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else {
      if (name.length() > 63) {
        errs.add("name part must be no more than 63 characters");
      }
      if (!QUALIFIED_NAME_RE.matcher(name).matches()) {
        errs.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end"
            + " with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for"
            + " validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
      }
    }
    return errs;
  }

  public static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 63) {
      errs.add("must be no more than 63 characters");
    }
    if (!LABEL_VALUE_RE.matcher(value).matches()) {
      errs.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.',"
          + " and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or"
          + " '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }
    return errs;
  }

  /** Port names: IANA service names (at most 15 characters, at least one letter, no double hyphen). */
  public static List<String> portName(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 15) {
      errs.add("must be no more than 15 characters");
    }
    if (!IANA_SVC_NAME_RE.matcher(value).matches()) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (value.contains("--")) {
      errs.add("must not contain consecutive hyphens");
    }
    if (!HAS_LETTER.matcher(value).matches()) {
      errs.add("must contain at least one letter (a-z)");
    }
    return errs;
  }

  public static List<String> portNumber(int port) {
    return port >= 1 && port <= 65535 ? List.of() : List.of("must be between 1 and 65535, inclusive");
  }

  /** An IPv4 or IPv6 literal (no host names). */
  public static List<String> ip(String value) {
    if (value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      for (String part : value.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return List.of("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
      }
      return List.of();
    }
    if (value.contains(":") && value.matches("[0-9a-fA-F:.]+")) {
      return List.of();
    }
    return List.of("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
  }
}
