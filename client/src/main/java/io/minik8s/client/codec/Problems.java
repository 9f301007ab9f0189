package io.minik8s.client.codec;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** Collects the problems of one decode call, in the order found. Not thread-safe: one per call. */
final class Problems {
  private final String source;
  private final List<ManifestProblem> found = new ArrayList<>();
  private int document;

  Problems(String source) {
    this.source = source;
  }

  String source() {
    return source;
  }

  /** The 1-based document that later problems belong to. */
  void startDocument(int number) {
    this.document = number;
  }

  void add(Node at, FieldPath path, String message) {
    add(at == null || at.getStartMark() == null ? 0 : at.getStartMark().getLine() + 1, path.toString(), message);
  }

  void add(int line, String fieldPath, String message) {
    found.add(new ManifestProblem(source, document, line, fieldPath, message));
  }

  int count() {
    return found.size();
  }

  void throwIfAny() {
    if (!found.isEmpty()) {
      throw new ManifestException(found);
    }
  }
}
