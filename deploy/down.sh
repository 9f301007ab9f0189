#!/usr/bin/env bash
# Stops what deploy/up.sh started, removes every pod sandbox (through the CRI, so CNI releases
# addresses and NAT rules), the pod bridge, and the state directory (etcd data, logs, pids).
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
{ grep -F " $state/" /proc/mounts || true; } | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" || true; done
stop_one apiserver
stop_one etcd
if [ "${MINIK8S_KEEP_STATE:-0}" != 1 ]; then
  rm -rf "$state"
  echo "removed $state"
fi
