package io.minik8s.kubelet.cri;

/** What the runtime says it is, e.g. ("containerd", "1.6.20~ds1", "v1"). */
public record RuntimeVersion(String runtimeName, String runtimeVersion, String runtimeApiVersion) {
}
