#!/usr/bin/env bash
# One host, one command: installs what is missing, builds the jars if needed, writes containerd's and
# CNI's configuration, builds the local images, and starts etcd, the control plane (API server,
# scheduler, controller-manager) and a node (its own containerd + kubelet) as background processes, with logs and pid files
# under one state directory; then waits until the node is Ready.
# Running it again is harmless: whatever already runs is left alone.
#
#   deploy/up.sh            # as root on Debian/Ubuntu
#   MINIK8S_STATE=/tmp/m8s deploy/up.sh
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
state=${MINIK8S_STATE:-/var/lib/minik8s}
etcd_port=${MINIK8S_ETCD_PORT:-2379}
api_port=${MINIK8S_API_PORT:-6443}
api_health_port=${MINIK8S_API_HEALTH_PORT:-6444}
node_name=${MINIK8S_NODE_NAME:-$(hostname)}
pod_cidr=${MINIK8S_POD_CIDR:-10.244.0.0/24}
bridge=${MINIK8S_BRIDGE:-minik8s0}
containerd_sock="$state/containerd/containerd.sock"
mkdir -p "$state"/{logs,run,etcd,containerd/root,containerd/state,cni/conf,cni/ipam,pod-logs}

step() { printf '\n==> %s\n' "$*"; }
running() { [ -f "$state/run/$1.pid" ] && kill -0 "$(cat "$state/run/$1.pid")" 2>/dev/null; }
wait_for() { # what, command...
  local what=$1; shift
  for _ in $(seq 1 120); do
    if "$@" >/dev/null 2>&1; then echo "    $what is ready"; return 0; fi
    sleep 0.5
  done
  echo "    $what did not become ready; see $state/logs/" >&2
  exit 1
}
start() { # name, command...
  local name=$1; shift
  if running "$name"; then echo "    $name already running (pid $(cat "$state/run/$name.pid"))"; return 0; fi
  nohup "$@" >>"$state/logs/$name.log" 2>&1 &
  echo $! >"$state/run/$name.pid"
  echo "    $name started (pid $!, log $state/logs/$name.log)"
}

step "packages"
"$root/deploy/install-deps.sh"

step "build"
if [ ! -f "$root/apiserver/target/apiserver.jar" ] || [ ! -f "$root/cli/target/mkctl.jar" ] \
    || [ ! -f "$root/scheduler/target/scheduler.jar" ] || [ ! -f "$root/kubelet/target/kubelet.jar" ] \
    || [ ! -f "$root/controller-manager/target/controller-manager.jar" ]; then
  (cd "$root" && mvn -B -q -ntp package -DskipTests)
  echo "    jars built"
else
  echo "    jars present (rebuild with: mvn -q package -DskipTests)"
fi

step "etcd on 127.0.0.1:$etcd_port"
start etcd etcd --name minik8s --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
  --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
  --initial-cluster "minik8s=http://127.0.0.1:$((etcd_port + 1))"
wait_for etcd curl -fsS "http://127.0.0.1:$etcd_port/health"

step "API server on 127.0.0.1:$api_port"
start apiserver "$root/bin/apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" --port "$api_port" \
  --health-port "$api_health_port"
wait_for "API server" curl -fsS "http://127.0.0.1:$api_health_port/readyz"

step "scheduler"
start scheduler "$root/bin/scheduler" --apiserver "127.0.0.1:$api_port" --health-port 10259
wait_for scheduler curl -fsS "http://127.0.0.1:10259/readyz"

step "controller-manager"
start controller-manager "$root/bin/controller-manager" --apiserver "127.0.0.1:$api_port" --health-port 10257
wait_for controller-manager curl -fsS "http://127.0.0.1:10257/readyz"

step "containerd for node $node_name (socket $containerd_sock, pods on $pod_cidr via bridge $bridge)"
"$root/deploy/containerd/write-cni.sh" --bridge "$bridge" --subnet "$pod_cidr" --data-dir "$state/cni/ipam" \
  >"$state/cni/conf/10-minik8s.conflist"
"$root/deploy/containerd/write-config.sh" --root "$state/containerd/root" --state "$state/containerd/state" \
  --address "$containerd_sock" --cni-conf-dir "$state/cni/conf" >"$state/containerd/config.toml"
start containerd containerd --config "$state/containerd/config.toml"
wait_for containerd ctr -a "$containerd_sock" version

step "local images (no registry needed): localhost/busybox:latest, localhost/pause:latest"
"$root/deploy/images/load.sh" --address "$containerd_sock" | sed 's/^/    /'

step "kubelet for node $node_name"
start kubelet "$root/bin/kubelet" --apiserver "127.0.0.1:$api_port" --node-name "$node_name" \
  --container-runtime-endpoint "unix://$containerd_sock" --pod-cidr "$pod_cidr" \
  --pod-log-dir "$state/pod-logs" --health-port 10248 --log-port 10250
wait_for kubelet curl -fsS "http://127.0.0.1:10248/healthz"
echo "    waiting for node $node_name to be Ready"
export MINIK8S_SERVER="127.0.0.1:$api_port"
wait_for "node $node_name" sh -c "'$root/bin/mkctl' get node '$node_name' --no-headers | grep -qw Ready"

cat <<EOT

minik8s is up. State, logs and pids: $state
Next:
  export MINIK8S_SERVER=127.0.0.1:$api_port
  $root/bin/mkctl apply -f $root/examples/pod.yaml
  $root/bin/mkctl get pods -o wide                 # node and pod IP
  curl http://<pod IP>:8080/                       # the pod is a real container
  $root/bin/mkctl logs web
  $root/bin/mkctl apply -f $root/examples/demo.yaml
  $root/bin/mkctl get ns,deploy,svc,pods -A
  $root/deploy/down.sh         # stop everything and remove what up.sh made
EOT
