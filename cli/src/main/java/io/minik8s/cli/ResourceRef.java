package io.minik8s.cli;

import com.google.protobuf.Message;
import io.minik8s.client.api.Kind;

/**
 * How kubectl names one object in its messages: {@code <resource>[.<group>]} in the singular, so
 * {@code pod/web}, {@code deployment.apps/web}, {@code lease.coordination.k8s.io/x}.
 *
 * @param kind the object's kind
 * @param name the object's name
 */
public record ResourceRef(Kind<?> kind, String name) {

  public static ResourceRef of(Message object) {
    Kind<?> kind = io.minik8s.client.api.Kinds.of(object);
    return new ResourceRef(kind, kind.metadata(object).getName());
  }

  /** {@code pod}, {@code deployment.apps}: the type part kubectl prints. */
  public static String typeName(Kind<?> kind) {
    return kind.group().isEmpty() ? kind.singular() : kind.singular() + "." + kind.group();
  }

  /** {@code deployment.apps/web}: what apply, create and {@code get -o name} print. */
  public String slashed() {
    return typeName(kind) + "/" + name;
  }

  /** {@code deployment.apps "web"}: what delete prints. */
  public String quoted() {
    return typeName(kind) + " \"" + name + "\"";
  }

  @Override
  public String toString() {
    return slashed();
  }
}
