#!/usr/bin/env bash
# Stops and removes what deploy/systemd/install.sh installed on this host: the units, every pod
# sandbox (through the CRI, so CNI releases its addresses and rules), kube-proxy's iptables rules and
# load-balancer link, the pod bridge and /opt/minik8s. Keeps /etc/minik8s and /var/lib/minik8s
# (etcd's data) unless --purge is given.
#
#   deploy/systemd/uninstall.sh [--purge]
set -euo pipefail
purge=0
[ "${1:-}" = --purge ] && purge=1
prefix=/opt/minik8s
sock=/run/minik8s/containerd/containerd.sock
[ "$(id -u)" -eq 0 ] || { echo "uninstall.sh: run as root" >&2; exit 1; }

for u in kube-proxy kubelet dns controller-manager scheduler apiserver; do
  systemctl disable --now --quiet "minik8s-$u.service" 2>/dev/null || true
done
if [ -S "$sock" ] && [ -f "$prefix/kubelet/target/kubelet.jar" ]; then
  java -Xmx128m -cp "$prefix/kubelet/target/kubelet.jar" io.minik8s.kubelet.cri.CriCleanup --endpoint "unix://$sock" \
    || echo "could not remove every sandbox through the CRI" >&2
fi
for u in containerd etcd; do
  systemctl disable --now --quiet "minik8s-$u.service" 2>/dev/null || true
done
if [ -x "$prefix/bin/kube-proxy" ]; then
  "$prefix/bin/kube-proxy" --cleanup || echo "kube-proxy --cleanup failed" >&2
fi
ip link del minik8s0 2>/dev/null || true
rm -f /etc/systemd/system/minik8s-*.service
systemctl daemon-reload
rm -rf "$prefix" /run/minik8s
if [ "$purge" -eq 1 ]; then
  rm -rf /etc/minik8s /var/lib/minik8s /var/log/minik8s
fi
echo "minik8s removed from this host"
