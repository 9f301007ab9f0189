package io.minik8s.client.codec;

/**
 * A field path in Kubernetes' notation ({@code spec.containers[0].ports[1].containerPort},
 * {@code metadata.labels[app]}), built cheaply while walking and rendered only when a problem needs it.
 * Immutable.
 */
final class FieldPath {
  private static final FieldPath ROOT = new FieldPath(null, null, -1, null);

  private final FieldPath parent;
  private final String field;
  private final int index;
  private final String key;

  private FieldPath(FieldPath parent, String field, int index, String key) {
    this.parent = parent;
    this.field = field;
    this.index = index;
    this.key = key;
  }

  static FieldPath root() {
    return ROOT;
  }

  FieldPath field(String name) {
    return new FieldPath(this, name, -1, null);
  }

  FieldPath index(int i) {
    return new FieldPath(this, null, i, null);
  }

  FieldPath key(String mapKey) {
    return new FieldPath(this, null, -1, mapKey);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    render(out);
    return out.toString();
  }

  private void render(StringBuilder out) {
    if (parent == null) {
      return;
    }
    parent.render(out);
    if (field != null) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(field);
    } else if (key != null) {
      out.append('[').append(key).append(']');
    } else {
      out.append('[').append(index).append(']');
    }
  }
}
