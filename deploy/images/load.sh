#!/usr/bin/env bash
# Imports the local images into a containerd, in the k8s.io namespace its CRI plugin serves, building
# them first when the tarballs are missing.
#
#   deploy/images/load.sh [--address SOCKET] [--dir DIR] [FILE.tar ...]
#
# SOCKET: containerd's gRPC socket (default /run/containerd/containerd.sock).
# DIR: where build.sh writes (default $MINIK8S_IMAGES or /var/tmp/minik8s-images).
# FILE.tar: other OCI image tarballs to import as well (see README.md).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
address=/run/containerd/containerd.sock
dir=${MINIK8S_IMAGES:-/var/tmp/minik8s-images}
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --address|-a) address=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "load.sh: unknown argument $1" >&2; exit 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done
if [ ! -f "$dir/busybox.tar" ] || [ ! -f "$dir/pause.tar" ]; then
  "$here/build.sh" --out "$dir"
fi
for f in "$dir/busybox.tar" "$dir/pause.tar" "${extra[@]}"; do
  ctr -a "$address" -n k8s.io images import "$f"
done
