package io.minik8s.cli.describe;

import com.google.protobuf.Message;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;

/** The describer of each kind, and the rendering of one description. */
public final class Describers {
  private Describers() {}

  /** The aligned description of {@code object}, ending with a newline. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static String describe(Message object, DescribeContext context) {
    DescribeWriter w = new DescribeWriter();
    Describer describer = forKind(Kinds.of(object));
    describer.describe(object, w, context);
    return w.render();
  }

  static Describer<?> forKind(Kind<?> kind) {
    if (kind == Kinds.POD) {
      return new PodDescriber();
    } else if (kind == Kinds.DEPLOYMENT) {
      return new DeploymentDescriber();
    } else if (kind == Kinds.REPLICA_SET) {
      return new ReplicaSetDescriber();
    } else if (kind == Kinds.SERVICE) {
      return new ServiceDescriber();
    } else if (kind == Kinds.NODE) {
      return new NodeDescriber();
    } else if (kind == Kinds.NAMESPACE) {
      return new NamespaceDescriber();
    } else if (kind == Kinds.ENDPOINTS) {
      return new EndpointsDescriber();
    }
    return new GenericDescriber();
  }
}
