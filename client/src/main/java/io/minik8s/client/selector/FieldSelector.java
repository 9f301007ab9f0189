package io.minik8s.client.selector;

import com.google.protobuf.Message;
import io.minik8s.client.api.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A Kubernetes field selector: equality and inequality terms on a few well-known fields
 * ({@code metadata.name=web,spec.nodeName!=,status.phase==Running}).
 *
 * <p>Immutable and thread-safe; terms are kept sorted so {@link #toString()} is canonical. In values,
 * a backslash escapes {@code \}, {@code ,} and {@code =} (Kubernetes' escaping). A field an object does
 * not have reads as the empty string, so {@code spec.nodeName=} selects unscheduled pods. The empty
 * selector matches everything.
 */
public final class FieldSelector {
  private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  public static FieldSelector everything() {
    return EVERYTHING;
  }

  /** The selector {@code field=value}: what a kubelet uses to watch only its own pods. */
  public static FieldSelector equal(String field, String value) {
    return of(List.of(new Requirement(field, Operator.EQUALS, value)));
  }

  public static FieldSelector of(List<Requirement> requirements) {
    if (requirements.isEmpty()) {
      return EVERYTHING;
    }
    return new FieldSelector(requirements.stream().distinct()
        .sorted(Comparator.comparing(Requirement::field).thenComparing(Requirement::operator)
            .thenComparing(Requirement::value))
        .collect(Collectors.toUnmodifiableList()));
  }

  /**
   * Parses the string syntax without knowing the kind: any field name is accepted.
   *
   * @throws IllegalArgumentException on a term without an operator, an empty field name or a bad
   *     escape
   */
  public static FieldSelector parse(String selector) {
    Objects.requireNonNull(selector, "selector");
    List<Requirement> requirements = new ArrayList<>();
    if (selector.isBlank()) {
      return EVERYTHING;
    }
    for (String term : splitTerms(selector)) {
      requirements.add(parseTerm(selector, term.trim()));
    }
    return of(requirements);
  }

  /**
   * Parses and checks every field against what {@code kind} supports.
   *
   * @throws IllegalArgumentException naming the unsupported field and the supported ones
   */
  public static FieldSelector parse(String selector, Kind<?> kind) {
    FieldSelector parsed = parse(selector);
    Set<String> supported = ObjectFields.supported(kind);
    for (Requirement r : parsed.requirements) {
      if (!supported.contains(r.field())) {
        throw new IllegalArgumentException("field label not supported for " + kind.kind() + ": \""
            + r.field() + "\" (supported: " + String.join(", ", supported) + ")");
      }
    }
    return parsed;
  }

  /**
   * Whether an object is selected. {@code fieldValue} gives the value of a field (null reads as
   * empty); {@code ObjectFields.of(object)::get} is the usual argument.
   */
  public boolean matches(Function<String, String> fieldValue) {
    for (Requirement r : requirements) {
      String v = fieldValue.apply(r.field());
      boolean equal = r.value().equals(v == null ? "" : v);
      if (equal != (r.operator() == Operator.EQUALS)) {
        return false;
      }
    }
    return true;
  }

  /** Whether an API object is selected, reading its fields with {@link ObjectFields#of}. */
  public boolean matches(Message object) {
    return isEmpty() || matches(ObjectFields.of(object)::get);
  }

  /** The value {@code field} must have for a match, if a term pins it: lets a caller use an index. */
  public Optional<String> requiredValue(String field) {
    for (Requirement r : requirements) {
      if (r.field().equals(field) && r.operator() == Operator.EQUALS) {
        return Optional.of(r.value());
      }
    }
    return Optional.empty();
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  @Override
  public String toString() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FieldSelector && ((FieldSelector) o).requirements.equals(requirements);
  }

  @Override
  public int hashCode() {
    return requirements.hashCode();
  }

  public enum Operator {
    EQUALS, NOT_EQUALS
  }

  /** One term; {@code value} is unescaped. */
  public record Requirement(String field, Operator operator, String value) {
    public Requirement {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(operator, "operator");
      Objects.requireNonNull(value, "value");
      if (field.isEmpty()) {
        throw new IllegalArgumentException("field name must be non-empty");
      }
    }

    @Override
    public String toString() {
      return field + (operator == Operator.EQUALS ? "=" : "!=") + escape(value);
    }
  }

  /** Splits on commas not escaped by a backslash; escapes stay in place for {@link #unescape}. */
  private static List<String> splitTerms(String selector) {
    List<String> terms = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == ',') {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    return terms;
  }

  private static Requirement parseTerm(String selector, String term) {
    // The first operator from the left wins; at one position "!=" and "==" are tried before "=".
    for (int i = 0; i < term.length(); i++) {
      char c = term.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      Operator op = null;
      int width = 0;
      if (term.startsWith("!=", i)) {
        op = Operator.NOT_EQUALS;
        width = 2;
      } else if (term.startsWith("==", i)) {
        op = Operator.EQUALS;
        width = 2;
      } else if (c == '=') {
        op = Operator.EQUALS;
        width = 1;
      }
      if (op != null) {
        String field = term.substring(0, i).trim();
        if (field.isEmpty()) {
          throw new IllegalArgumentException("invalid field selector \"" + selector + "\": term \"" + term
              + "\" has no field name");
        }
        return new Requirement(field, op, unescape(selector, term.substring(i + width)));
      }
    }
    throw new IllegalArgumentException("invalid field selector \"" + selector + "\": term \"" + term
        + "\" has no operator (expected '=', '==' or '!=')");
  }

  private static String unescape(String selector, String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\') {
        if (i + 1 >= value.length()) {
          throw new IllegalArgumentException("invalid field selector \"" + selector
              + "\": value \"" + value + "\" ends with a lone '\\'");
        }
        char next = value.charAt(++i);
        if (next != '\\' && next != ',' && next != '=') {
          throw new IllegalArgumentException("invalid field selector \"" + selector + "\": invalid escape \\"
              + next + " in value \"" + value + "\" (only \\\\, \\, and \\= are allowed)");
        }
        out.append(next);
      } else if (c == ',' || c == '=') {
        throw new IllegalArgumentException("invalid field selector \"" + selector + "\": unescaped '" + c
            + "' in value \"" + value + "\"");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == ',' || c == '=') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
