#!/usr/bin/env bash
# Stops what deploy/up.sh started, removes kube-proxy's iptables rules (kube-proxy --cleanup: no
# MINIK8S-* chain or jump is left), every pod sandbox (through the CRI, so CNI releases addresses and
# NAT rules), the pod bridge, and the state directory (etcd data, logs, pids, the kubeconfig).
#   deploy/down.sh            # MINIK8S_KEEP_STATE=1 keeps the data
set -euo pipefail
state=${MINIK8S_STATE:-/var/lib/minik8s}
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
bridge=${MINIK8S_BRIDGE:-minik8s0}
sock="$state/containerd/containerd.sock"

stop_one() {
  local name=$1 pidfile="$state/run/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
}

stop_one kubelet
# kube-proxy leaves its rules in place when it stops; they are removed once no pod is left to use them
# (without them a pod's query to 10.96.0.10 would leave through the default route).
stop_one kube-proxy
# The DNS takes its address out of kube-system/kube-dns on SIGTERM: stop it while the API server runs.
stop_one dns
stop_one scheduler
stop_one controller-manager
if [ -S "$sock" ] && [ -f "$root/kubelet/target/kubelet.jar" ]; then
  java -Xmx128m -cp "$root/kubelet/target/kubelet.jar" io.minik8s.kubelet.cri.CriCleanup --endpoint "unix://$sock" \
    || echo "could not remove every sandbox through the CRI" >&2
fi
stop_one containerd
if ip link show "$bridge" >/dev/null 2>&1; then
  ip link del "$bridge" && echo "removed bridge $bridge"
fi
if [ -f "$root/kube-proxy/target/kube-proxy.jar" ]; then
  "$root/bin/kube-proxy" --cleanup && echo "removed kube-proxy's iptables rules (MINIK8S-*)" \
    || echo "kube-proxy --cleanup failed; look for MINIK8S in iptables-save" >&2
fi
{ grep -F " $state/" /proc/mounts || true; } | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" || true; done
stop_one apiserver
stop_one etcd
if [ "${MINIK8S_KEEP_STATE:-0}" != 1 ]; then
  rm -rf "$state"
  echo "removed $state"
fi
