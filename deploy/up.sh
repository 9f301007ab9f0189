#!/usr/bin/env bash
# One host, one command: installs what is missing, builds the jars if needed, writes containerd's and
# CNI's configuration, builds the local images, and starts etcd, the control plane (API server,
# scheduler, controller-manager), the cluster DNS and a node (kube-proxy, its own containerd, kubelet)
# as background processes, with logs and pid files under one state directory; then waits until the
# node is Ready. Running it again is harmless: whatever already runs is left alone. The API server also
# serves Kubernetes' REST API (port $MINIK8S_API_HTTP_PORT, 8080) and writes $state/kubeconfig for kubectl.
#
#   deploy/up.sh            # as root on Debian/Ubuntu
#   MINIK8S_STATE=/tmp/m8s deploy/up.sh
#
# Cluster DNS: bin/dns is not a pod. Like the API server behind the Service `kubernetes`, it registers
# itself as the Service kube-system/kube-dns with the fixed ClusterIP $MINIK8S_DNS_IP (10.96.0.10, what
# the kubelet writes into pods' resolv.conf) and its own address in the Endpoints; kube-proxy DNATs
# 10.96.0.10:53 to it. It listens on the node IP only (port $MINIK8S_DNS_PORT, 53), never on 0.0.0.0:53,
# so it coexists with systemd-resolved (127.0.0.53:53). If the node IP's port 53 is taken too (dnsmasq),
# use MINIK8S_DNS_PORT=5353: pods still ask 10.96.0.10:53, the Service's targetPort follows.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
state=${MINIK8S_STATE:-/var/lib/minik8s}
etcd_port=${MINIK8S_ETCD_PORT:-2379}
api_port=${MINIK8S_API_PORT:-6443}
api_health_port=${MINIK8S_API_HEALTH_PORT:-6444}
# Kubernetes' REST API, for kubectl; the API server writes a kubeconfig for it to $state/kubeconfig.
api_http_port=${MINIK8S_API_HTTP_PORT:-8080}
node_name=${MINIK8S_NODE_NAME:-$(hostname)}
pod_cidr=${MINIK8S_POD_CIDR:-10.244.0.0/24}
bridge=${MINIK8S_BRIDGE:-minik8s0}
dns_ip=${MINIK8S_DNS_IP:-10.96.0.10}
dns_port=${MINIK8S_DNS_PORT:-53}
cluster_domain=${MINIK8S_CLUSTER_DOMAIN:-cluster.local}
# Addresses for LoadBalancer Services. The default answers on this host only; give a free range of your
# LAN (MINIK8S_LB_POOL=192.168.1.240-192.168.1.250) to reach them from other machines.
lb_pool=${MINIK8S_LB_POOL:-10.245.0.0/28}
# The node IP: the address of the default route's interface (what the kubelet would pick), unless given.
# Pods reach the DNS there: kube-proxy cannot DNAT their packets to a loopback address.
default_ip() {
  local dev
  dev=$(ip -4 -o route show default 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit }}')
  if [ -n "$dev" ]; then
    ip -4 -o addr show dev "$dev" scope global | awk '{split($4, a, "/"); print a[1]; exit}'
  else
    hostname -I 2>/dev/null | awk '{print $1}'
  fi
}
node_ip=${MINIK8S_NODE_IP:-$(default_ip)}
if [ -z "$node_ip" ]; then
  echo "cannot find this host's IP (no default route); set MINIK8S_NODE_IP" >&2
  exit 1
fi
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
    || [ ! -f "$root/controller-manager/target/controller-manager.jar" ] \
    || [ ! -f "$root/kube-proxy/target/kube-proxy.jar" ] || [ ! -f "$root/dns/target/dns.jar" ]; then
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

step "API server on 127.0.0.1:$api_port (gRPC) and :$api_http_port (REST, for kubectl)"
start apiserver "$root/bin/apiserver" --etcd-servers "http://127.0.0.1:$etcd_port" --port "$api_port" \
  --health-port "$api_health_port" --http-port "$api_http_port" --write-kubeconfig "$state/kubeconfig"
wait_for "API server" curl -fsS "http://127.0.0.1:$api_health_port/readyz"
wait_for "kubeconfig $state/kubeconfig" test -s "$state/kubeconfig"

step "scheduler"
start scheduler "$root/bin/scheduler" --apiserver "127.0.0.1:$api_port" --health-port 10259
wait_for scheduler curl -fsS "http://127.0.0.1:10259/readyz"

step "controller-manager (LoadBalancer addresses from $lb_pool)"
start controller-manager "$root/bin/controller-manager" --apiserver "127.0.0.1:$api_port" --health-port 10257 \
  --load-balancer-ip-pool "$lb_pool"
wait_for controller-manager curl -fsS "http://127.0.0.1:10257/readyz"

step "kube-proxy for node $node_name (iptables chains MINIK8S-*, pod CIDR $pod_cidr)"
start kube-proxy "$root/bin/kube-proxy" --apiserver "127.0.0.1:$api_port" --node-name "$node_name" \
  --cluster-cidr "$pod_cidr" --health-port 10256 --health-bind-address 127.0.0.1
wait_for kube-proxy curl -fsS "http://127.0.0.1:10256/readyz"

step "cluster DNS on $node_ip:$dns_port, registered as kube-system/kube-dns at $dns_ip"
start dns "$root/bin/dns" --apiserver "127.0.0.1:$api_port" --cluster-domain "$cluster_domain" \
  --listen "$node_ip:$dns_port" --service kube-system/kube-dns --service-ip "$dns_ip" --advertise-address "$node_ip" \
  --health-port 9153 --health-bind-address 127.0.0.1
wait_for dns curl -fsS "http://127.0.0.1:9153/readyz"
wait_for "rules for $dns_ip" sh -c "iptables-save -t nat | grep -q -- '--to-destination $node_ip:$dns_port'"

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
  --container-runtime-endpoint "unix://$containerd_sock" --pod-cidr "$pod_cidr" --node-ip "$node_ip" \
  --cluster-dns "$dns_ip" --cluster-domain "$cluster_domain" \
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
  $root/bin/mkctl apply -f $root/examples/services.yaml   # Services: see README.md, "Services"
  $root/bin/mkctl get svc -n shop
  $root/deploy/down.sh         # stop everything, remove what up.sh made and kube-proxy's rules

kubectl (any Kubernetes kubectl; the tutorial in README.md, "kubectl"), then: kubectl get nodes
export KUBECONFIG=$state/kubeconfig
EOT
