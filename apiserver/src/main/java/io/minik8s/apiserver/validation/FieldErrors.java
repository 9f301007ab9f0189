package io.minik8s.apiserver.validation;

import io.minik8s.api.StatusCause;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Collects every validation problem of one request, each with its field path, in the words
 * Kubernetes uses ({@code Required value}, {@code Invalid value: "x": ...}, {@code Unsupported value},
 * {@code Duplicate value}, {@code Forbidden}), so that one answer lists them all.
 */
public final class FieldErrors {
  private final List<StatusCause> causes = new ArrayList<>();

  public FieldErrors required(FieldPath path) {
    return add("FieldValueRequired", path, "Required value");
  }

  public FieldErrors required(FieldPath path, String detail) {
    return add("FieldValueRequired", path, "Required value: " + detail);
  }

  public FieldErrors invalid(FieldPath path, Object value, String detail) {
    return add("FieldValueInvalid", path, "Invalid value: " + quote(value) + ": " + detail);
  }

  public FieldErrors notSupported(FieldPath path, Object value, Collection<String> supported) {
    return add("FieldValueNotSupported", path, "Unsupported value: " + quote(value) + ": supported values: "
        + supported.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ")));
  }

  public FieldErrors duplicate(FieldPath path, Object value) {
    return add("FieldValueDuplicate", path, "Duplicate value: " + quote(value));
  }

  public FieldErrors forbidden(FieldPath path, String detail) {
    return add("FieldValueForbidden", path, "Forbidden: " + detail);
  }

  public FieldErrors tooLong(FieldPath path, int max) {
    return add("FieldValueTooLong", path, "Too long: may not be more than " + max + " bytes");
  }

  /** Adds the result of a name/label check: nothing when {@code problems} is empty. */
  public FieldErrors invalidIfAny(FieldPath path, Object value, List<String> problems) {
    if (!problems.isEmpty()) {
      invalid(path, value, String.join(", ", problems));
    }
    return this;
  }

  public FieldErrors addAll(FieldErrors other) {
    causes.addAll(other.causes);
    return this;
  }

  private FieldErrors add(String reason, FieldPath path, String message) {
    causes.add(StatusCause.newBuilder().setReason(reason).setField(path.path()).setMessage(message).build());
    return this;
  }

  public boolean isEmpty() {
    return causes.isEmpty();
  }

  public List<StatusCause> causes() {
    return List.copyOf(causes);
  }

  /** Throws the Invalid error listing every cause, if there is any. */
  public void throwIfAny(Kind<?> kind, String name) {
    if (!causes.isEmpty()) {
      throw ApiException.invalid(kind, name, causes);
    }
  }

  private static String quote(Object value) {
    if (value instanceof String) {
      return "\"" + value + "\"";
    }
    return String.valueOf(value);
  }
}
