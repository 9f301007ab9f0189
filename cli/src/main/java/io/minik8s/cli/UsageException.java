package io.minik8s.cli;

/**
 * A mistake in the command line that kubectl reports as {@code error: <message>} with exit status 1,
 * before anything is sent to the server.
 */
public final class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
