package io.minik8s.cli.describe;

import io.minik8s.api.Namespace;
import io.minik8s.client.api.Kinds;

/** Namespaces: the common header and the phase. */
final class NamespaceDescriber implements Describer<Namespace> {
  @Override
  public void describe(Namespace namespace, DescribeWriter w, DescribeContext context) {
    Sections.header(w, Kinds.NAMESPACE, namespace.getMetadata(), context);
    w.line(0, "Status:", namespace.getStatus().getPhase());
    Sections.events(w, Kinds.NAMESPACE, namespace.getMetadata(), context);
  }
}
