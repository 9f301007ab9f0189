package io.minik8s.apiserver.validation;

/**
 * A field path as Kubernetes prints it: {@code spec.containers[0].ports[1].containerPort},
 * {@code metadata.labels[app]}. Immutable; each step returns a new path.
 */
public record FieldPath(String path) {
  public static FieldPath root(String name) {
    return new FieldPath(name);
  }

  public FieldPath child(String name) {
    return new FieldPath(path.isEmpty() ? name : path + "." + name);
  }

  public FieldPath index(int i) {
    return new FieldPath(path + "[" + i + "]");
  }

  public FieldPath key(String key) {
    return new FieldPath(path + "[" + key + "]");
  }

  @Override
  public String toString() {
    return path;
  }
}
