#!/usr/bin/env bash
# Prints the CNI network config (a .conflist) of one minik8s node: a Linux bridge that is the pod
# subnet's gateway, addresses from host-local IPAM with its own data directory, then portmap (for
# hostPort) and loopback.
#
#   deploy/containerd/write-cni.sh --bridge NAME --subnet CIDR --data-dir DIR [--name NETWORK] \
#       [--ip-masq true|false] > CONF_DIR/10-minik8s.conflist
#
# NAME: the bridge interface (at most 15 characters), created by the bridge plugin on first use.
# CIDR: the node's pod subnet, e.g. 10.244.1.0/24; the bridge gets its first address.
# DIR: where host-local records allocated addresses (keep one per node).
# hairpinMode lets a pod reach itself through a Service address; ipMasq (default true) masquerades pod
# traffic that leaves the subnet. A multi-node network turns it off (deploy/lab.sh): traffic to a pod on
# another node must keep its pod source address, and something else masquerades what leaves the cluster.
set -euo pipefail
bridge= subnet= data_dir=
name=minik8s
ip_masq=true
while [ $# -gt 0 ]; do
  case $1 in
    --bridge) bridge=$2; shift 2 ;;
    --subnet) subnet=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --ip-masq) ip_masq=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "write-cni.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for v in bridge subnet data_dir; do
  [ -n "${!v}" ] || { echo "write-cni.sh: --${v//_/-} is required" >&2; exit 2; }
done
case $ip_masq in true|false) ;; *) echo "write-cni.sh: --ip-masq must be true or false" >&2; exit 2 ;; esac
[ ${#bridge} -le 15 ] || { echo "write-cni.sh: bridge name '$bridge' is longer than 15 characters" >&2; exit 2; }

cat <<EOT
{
  "cniVersion": "1.0.0",
  "name": "$name",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "ipMasq": $ip_masq,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$subnet"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$data_dir"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}},
    {"type": "loopback"}
  ]
}
EOT
