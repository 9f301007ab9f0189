/**
 * The pod lifecycle event generator: {@link io.minik8s.kubelet.pleg.Relister} lists the runtime every
 * second and reports the pods whose containers changed ({@link io.minik8s.kubelet.pleg.RuntimeSnapshot}
 * compares two lists), so pod workers react to containers exiting without polling each pod.
 */
package io.minik8s.kubelet.pleg;
