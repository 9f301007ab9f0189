package io.minik8s.client.codec;

/**
 * One thing wrong with a manifest.
 *
 * @param source the file name (or other label) the text came from
 * @param document the 1-based YAML document within the source ({@code ---} separated)
 * @param line the 1-based line in the source, or 0 when unknown
 * @param fieldPath the Kubernetes-style path of the offending field ({@code spec.containers[0].image}),
 *     empty for problems with the document as a whole
 * @param message what is wrong
 */
public record ManifestProblem(String source, int document, int line, String fieldPath, String message) {
  /** {@code pod.yaml:12 (document 2): spec.containers[0].image: expected string, got number 5}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(source);
    if (line > 0) {
      out.append(':').append(line);
    }
    out.append(" (document ").append(document).append("): ");
    if (!fieldPath.isEmpty()) {
      out.append(fieldPath).append(": ");
    }
    return out.append(message).toString();
  }
}
