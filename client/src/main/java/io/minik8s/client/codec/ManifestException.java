package io.minik8s.client.codec;

import java.util.List;
import java.util.stream.Collectors;

/** Manifests that could not be decoded, with every problem found (not just the first), in source order. */
public final class ManifestException extends RuntimeException {
  private final List<ManifestProblem> problems;

  public ManifestException(List<ManifestProblem> problems) {
    super(problems.stream().map(ManifestProblem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ManifestException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<ManifestProblem> problems() {
    return problems;
  }
}
