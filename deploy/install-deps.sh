#!/usr/bin/env bash
# Installs, from Debian's packages, what minik8s runs on and what its tests start:
# etcd, containerd + runc, CNI plugins, iptables, busybox (for local images), conntrack, Kubernetes' Python
# client (python3-kubernetes, for /usr/bin/python3: the e2e test of a second official client); and a JDK +
# Maven when they are missing. Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(etcd-server etcd-client containerd runc iptables containernetworking-plugins busybox-static conntrack
  iproute2 curl python3-kubernetes)
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || packages+=(maven)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}; run as root (or with sudo)" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts the packaged etcd and containerd services on install; minik8s runs its own instances
# (tests on free ports, deploy/up.sh under its state directory), so the packaged etcd is stopped to
# keep port 2379 free.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
  systemctl stop etcd || true
fi
echo "install-deps: done"
