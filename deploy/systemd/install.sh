#!/usr/bin/env bash
# Installs minik8s as systemd services on one Linux host (Debian/Ubuntu, as root), from a checkout
# whose jars are built (mvn -q package -DskipTests).
#
#   deploy/systemd/install.sh --role control-plane     # etcd, apiserver, scheduler, controller-manager, dns
#   deploy/systemd/install.sh --role worker            # containerd, kubelet, kube-proxy
#   deploy/systemd/install.sh --role all               # both on one host
#   deploy/systemd/install.sh --role worker --no-start # install only
#
# Copies bin/, deploy/ and the component jars to /opt/minik8s, the units to /etc/systemd/system, and
# /etc/minik8s/minik8s.env from minik8s.env.example when it does not exist yet (edit it, then run the
# script again). Workers also get containerd's and CNI's configuration under /etc/minik8s and the local
# images. Running it again updates the jars and units and restarts what changed.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
role= start=1 prefix=/opt/minik8s env=/etc/minik8s/minik8s.env
while [ $# -gt 0 ]; do
  case $1 in
    --role) role=$2; shift 2 ;;
    --no-start) start=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case $role in
  control-plane) units=(etcd apiserver scheduler controller-manager dns) ;;
  worker) units=(containerd kubelet kube-proxy) ;;
  all) units=(etcd apiserver scheduler controller-manager dns containerd kubelet kube-proxy) ;;
  *) echo "install.sh: --role must be control-plane, worker or all" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }

"$root/deploy/install-deps.sh"
for module in apiserver scheduler controller-manager kubelet kube-proxy dns cli; do
  ls "$root/$module/target/"*.jar >/dev/null 2>&1 || { echo "install.sh: $module is not built; run mvn -q package -DskipTests" >&2; exit 1; }
done

mkdir -p "$prefix" /etc/minik8s
cp -r "$root/bin" "$root/deploy" "$prefix/"
for module in apiserver scheduler controller-manager kubelet kube-proxy dns cli; do
  mkdir -p "$prefix/$module/target"
  for jar in "$root/$module/target/"*.jar; do
    case $(basename "$jar") in original-*|*-SNAPSHOT*.jar) continue ;; esac
    cp "$jar" "$prefix/$module/target/"
  done
done
echo "installed minik8s to $prefix"

if [ ! -f "$env" ]; then
  cp "$root/deploy/systemd/minik8s.env.example" "$env"
  echo "wrote $env from the example: edit it for this host, then run this script again"
  exit 0
fi
set -a; . "$env"; set +a

if [[ " ${units[*]} " == *" containerd "* ]]; then
  mkdir -p /etc/minik8s/cni /var/lib/minik8s/containerd /var/lib/minik8s/cni-ipam /run/minik8s/containerd /var/log/minik8s/pods
  "$root/deploy/containerd/write-config.sh" --root /var/lib/minik8s/containerd --state /run/minik8s/containerd/state \
    --address /run/minik8s/containerd/containerd.sock --cni-conf-dir /etc/minik8s/cni >/etc/minik8s/containerd.toml
  "$root/deploy/containerd/write-cni.sh" --bridge minik8s0 --subnet "$POD_CIDR" --data-dir /var/lib/minik8s/cni-ipam \
    >/etc/minik8s/cni/10-minik8s.conflist
  echo "wrote /etc/minik8s/containerd.toml and /etc/minik8s/cni/10-minik8s.conflist (pods on $POD_CIDR)"
fi

for u in "${units[@]}"; do
  install -m 0644 "$root/deploy/systemd/minik8s-$u.service" /etc/systemd/system/
done
systemctl daemon-reload
echo "installed units: ${units[*]/#/minik8s-}"
[ "$start" -eq 1 ] || exit 0

for u in "${units[@]}"; do
  systemctl enable --quiet "minik8s-$u.service"
  systemctl restart "minik8s-$u.service"
  if [ "$u" = containerd ]; then
    for _ in $(seq 1 60); do [ -S /run/minik8s/containerd/containerd.sock ] && break; sleep 0.5; done
    "$root/deploy/images/load.sh" --address /run/minik8s/containerd/containerd.sock | sed 's/^/    /'
  fi
done
systemctl --no-pager --lines=0 status "${units[@]/#/minik8s-}" || true
