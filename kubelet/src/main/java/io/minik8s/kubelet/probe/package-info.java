/**
 * Readiness and liveness probes: {@link io.minik8s.kubelet.probe.Prober} runs one httpGet, tcpSocket
 * or exec probe; {@link io.minik8s.kubelet.probe.ProbeManager} runs them periodically for running
 * containers and keeps the verdicts ({@link io.minik8s.kubelet.probe.ProbeResults}) that pod status
 * (Ready) and pod sync (restart on liveness failure) read.
 */
package io.minik8s.kubelet.probe;
