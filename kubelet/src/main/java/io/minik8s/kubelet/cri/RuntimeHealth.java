package io.minik8s.kubelet.cri;

/**
 * The runtime's two required conditions: it can run containers ({@code runtimeReady}) and it can give
 * pods a network ({@code networkReady}). {@code message} explains the unmet ones ("" when both hold).
 */
public record RuntimeHealth(boolean runtimeReady, boolean networkReady, String message) {

  public boolean ready() {
    return runtimeReady && networkReady;
  }
}
