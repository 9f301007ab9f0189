package io.minik8s.apiserver.rest.patch;

/**
 * A patch that cannot be applied: malformed, or (for a JSON patch) an operation whose path does not
 * exist or whose test fails. The REST API answers it as Kubernetes does, with a 4xx Status.
 */
public final class PatchException extends RuntimeException {
  private final boolean malformed;

  public PatchException(String message) {
    this(message, true);
  }

  PatchException(String message, boolean malformed) {
    super(message);
    this.malformed = malformed;
  }

  /** True when the patch itself is wrong (400); false when it is well formed but does not apply (422). */
  public boolean malformed() {
    return malformed;
  }
}
