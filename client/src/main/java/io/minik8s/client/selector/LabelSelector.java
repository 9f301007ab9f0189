package io.minik8s.client.selector;

import io.minik8s.api.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector: a conjunction of requirements on an object's labels.
 *
 * <p>Immutable and thread-safe. Requirements are kept sorted (by key, then operator, then values) so
 * that {@link #toString()} is canonical and {@link #equals} compares meaning rather than spelling:
 * {@code "b==1, a in (y,x)"} and {@code "a in (x,y),b=1"} are equal and both print as the latter.
 * The empty selector matches every object.
 */
public final class LabelSelector {
  private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  /** The selector that matches every object. */
  public static LabelSelector everything() {
    return EVERYTHING;
  }

  /**
   * Parses Kubernetes' string syntax: comma-separated {@code key=value}, {@code key==value},
   * {@code key!=value}, {@code key in (v1,v2)}, {@code key notin (v1,v2)}, {@code key} (exists) and
   * {@code !key} (does not exist). A blank string is {@link #everything()}.
   *
   * @throws IllegalArgumentException on a syntax error or an invalid key or value; the message says
   *     what was expected and where
   */
  public static LabelSelector parse(String selector) {
    Objects.requireNonNull(selector, "selector");
    return of(new LabelSelectorParser(selector).parse());
  }

  /**
   * The selector a Deployment, ReplicaSet or Service carries: {@code matchLabels} are equality
   * requirements, {@code matchExpressions} use the operators {@code In}, {@code NotIn}, {@code Exists}
   * and {@code DoesNotExist}. An empty message matches everything (a caller that must treat an
   * absent selector as "nothing" checks presence itself).
   *
   * @throws IllegalArgumentException naming the offending {@code matchExpressions[i]} field
   */
  public static LabelSelector from(io.minik8s.api.LabelSelector selector) {
    List<Requirement> requirements = new ArrayList<>();
    selector.getMatchLabelsMap().forEach((k, v) -> requirements.add(Requirement.equal(k, v)));
    for (int i = 0; i < selector.getMatchExpressionsCount(); i++) {
      LabelSelectorRequirement e = selector.getMatchExpressions(i);
      String where = "matchExpressions[" + i + "]";
      Operator op;
      switch (e.getOperator()) {
        case "In": op = Operator.IN; break;
        case "NotIn": op = Operator.NOT_IN; break;
        case "Exists": op = Operator.EXISTS; break;
        case "DoesNotExist": op = Operator.DOES_NOT_EXIST; break;
        default:
          throw new IllegalArgumentException(where + ".operator: unsupported operator \"" + e.getOperator()
              + "\" (supported: In, NotIn, Exists, DoesNotExist)");
      }
      try {
        requirements.add(Requirement.of(e.getKey(), op, e.getValuesList()));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
      }
    }
    return of(requirements);
  }

  /**
   * The selector made of one equality requirement per entry: the form a Service's {@code selector}
   * and a ReplicaSet's template labels take.
   */
  public static LabelSelector fromLabels(Map<String, String> labels) {
    List<Requirement> requirements = new ArrayList<>(labels.size());
    labels.forEach((k, v) -> requirements.add(Requirement.equal(k, v)));
    return of(requirements);
  }

  /** A selector of the given requirements (in any order; duplicates are dropped). */
  public static LabelSelector of(List<Requirement> requirements) {
    if (requirements.isEmpty()) {
      return EVERYTHING;
    }
    List<Requirement> sorted = requirements.stream().distinct().sorted(Requirement.ORDER)
        .collect(Collectors.toUnmodifiableList());
    return new LabelSelector(sorted);
  }

  /** Whether an object with these labels is selected: every requirement holds. */
  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** True when this selector matches everything. */
  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  /**
   * The value {@code key} must equal for this selector to match, when some requirement pins it down
   * ({@code key=value} or {@code key in (value)}): lets a caller look objects up in an index.
   */
  public java.util.Optional<String> requiredValue(String key) {
    for (Requirement r : requirements) {
      if (r.key().equals(key) && (r.operator() == Operator.EQUALS || r.operator() == Operator.IN)
          && r.values().size() == 1) {
        return java.util.Optional.of(r.values().get(0));
      }
    }
    return java.util.Optional.empty();
  }

  /** The canonical string form, which {@link #parse} reads back to an equal selector. */
  @Override
  public String toString() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSelector && ((LabelSelector) o).requirements.equals(requirements);
  }

  @Override
  public int hashCode() {
    return requirements.hashCode();
  }

  /** The operators of the string syntax; {@code ==} is read as {@link #EQUALS}. */
  public enum Operator {
    EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST
  }

  /**
   * One term of a selector. {@code values} is sorted and holds exactly one value for
   * {@code EQUALS}/{@code NOT_EQUALS}, at least one for {@code IN}/{@code NOT_IN}, none otherwise.
   */
  public record Requirement(String key, Operator operator, List<String> values) {
    static final Comparator<Requirement> ORDER = Comparator.comparing(Requirement::key)
        .thenComparing(Requirement::operator)
        .thenComparing(r -> String.join(",", r.values()));

    public Requirement {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      LabelValidation.checkKey(key);
      TreeSet<String> sorted = new TreeSet<>(values);
      for (String v : sorted) {
        LabelValidation.checkValue(key, v);
      }
      switch (operator) {
        case EQUALS:
        case NOT_EQUALS:
          if (sorted.size() != 1) {
            throw new IllegalArgumentException("key \"" + key + "\": exactly one value required for "
                + operator);
          }
          break;
        case IN:
        case NOT_IN:
          if (sorted.isEmpty()) {
            throw new IllegalArgumentException("key \"" + key + "\": values must be non-empty for "
                + (operator == Operator.IN ? "'in'" : "'notin'"));
          }
          break;
        default:
          if (!sorted.isEmpty()) {
            throw new IllegalArgumentException("key \"" + key + "\": values must be empty for "
                + (operator == Operator.EXISTS ? "Exists" : "DoesNotExist"));
          }
      }
      values = List.copyOf(sorted);
    }

    public static Requirement of(String key, Operator operator, List<String> values) {
      return new Requirement(key, operator, values);
    }

    public static Requirement equal(String key, String value) {
      return new Requirement(key, Operator.EQUALS, List.of(value));
    }

    /**
     * Kubernetes' semantics: {@code !=} and {@code notin} hold for an object without the key;
     * {@code =} and {@code in} need the key present with one of the values.
     */
    public boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      switch (operator) {
        case EQUALS:
        case IN:
          return value != null && values.contains(value);
        case NOT_EQUALS:
        case NOT_IN:
          return value == null || !values.contains(value);
        case EXISTS:
          return value != null;
        case DOES_NOT_EXIST:
          return value == null;
        default:
          throw new AssertionError(operator);
      }
    }

    @Override
    public String toString() {
      switch (operator) {
        case EQUALS: return key + "=" + values.get(0);
        case NOT_EQUALS: return key + "!=" + values.get(0);
        case IN: return key + " in (" + String.join(",", values) + ")";
        case NOT_IN: return key + " notin (" + String.join(",", values) + ")";
        case EXISTS: return key;
        case DOES_NOT_EXIST: return "!" + key;
        default: throw new AssertionError(operator);
      }
    }
  }
}
