#!/usr/bin/env bash
# Prints a containerd config.toml for one minik8s node, so several containerds can run side by side
# (each with its own root, state, socket, CNI config) without touching the system's containerd.
#
#   deploy/containerd/write-config.sh --root DIR --state DIR --address SOCKET --cni-conf-dir DIR \
#       [--sandbox-image localhost/pause:latest] [--cni-bin-dir /usr/lib/cni] > config.toml
#   containerd --config config.toml
#
# Only what differs from `containerd config default` (containerd 1.6, config version 2) is written;
# containerd fills in the rest from its defaults. What differs, and why:
#   restrict_oom_score_adj = true    required where containerd may not lower oom_score_adj (the
#                                    sandbox asks for -998): without it every RunPodSandbox fails
#                                    with "runc create failed: ... can't get final child's PID".
#   sandbox_image                    a local image; registry.k8s.io/pause cannot be pulled offline.
#   cni bin_dir / conf_dir           Debian installs the plugins in /usr/lib/cni; one conflist per node.
#   netns_mounts_under_state_dir     pod network namespaces live under --state, not /var/run/netns.
#   runc options Root                runc's container state lives under --state, not /run/containerd/runc.
#   disabled_plugins                 snapshotters and services minik8s never uses.
set -euo pipefail
root= state= address= cni_conf_dir=
sandbox_image=localhost/pause:latest
cni_bin_dir=/usr/lib/cni
while [ $# -gt 0 ]; do
  case $1 in
    --root) root=$2; shift 2 ;;
    --state) state=$2; shift 2 ;;
    --address) address=$2; shift 2 ;;
    --cni-conf-dir) cni_conf_dir=$2; shift 2 ;;
    --sandbox-image) sandbox_image=$2; shift 2 ;;
    --cni-bin-dir) cni_bin_dir=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "write-config.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for v in root state address cni_conf_dir; do
  [ -n "${!v}" ] || { echo "write-config.sh: --${v//_/-} is required" >&2; exit 2; }
done

cat <<EOT
version = 2
root = "$root"
state = "$state"
disabled_plugins = [
  "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.zfs",
  "io.containerd.internal.v1.opt",
  "io.containerd.tracing.processor.v1.otlp",
  "io.containerd.internal.v1.tracing",
]

[grpc]
  address = "$address"

[plugins."io.containerd.grpc.v1.cri"]
  restrict_oom_score_adj = true
  sandbox_image = "$sandbox_image"
  netns_mounts_under_state_dir = true

  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$cni_bin_dir"
    conf_dir = "$cni_conf_dir"
    max_conf_num = 1

  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"

    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      Root = "$state/runc"
EOT
