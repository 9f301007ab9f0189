/**
 * Startup, readiness and liveness probes: {@link io.minik8s.kubelet.probe.Prober} runs one httpGet,
 * tcpSocket or exec probe; {@link io.minik8s.kubelet.probe.ProbeManager} runs them periodically for
 * running containers ({@link io.minik8s.kubelet.probe.ProbeKind#active}: the startup probe alone until
 * it succeeds, then the other two) and keeps the verdicts ({@link io.minik8s.kubelet.probe.ProbeResults})
 * that pod status (started, Ready) and pod sync (restart on a liveness or startup failure) read.
 */
package io.minik8s.kubelet.probe;
