#!/usr/bin/env bash
# A multi-node minik8s lab on one Linux host, without Docker: the control plane runs on the host, each
# node lives in a network namespace of its own with its own containerd, kubelet and kube-proxy.
#
#   deploy/lab.sh up [--nodes N] [--control-planes M]   start the lab, or whatever of it is missing (3 and 1)
#   deploy/lab.sh status                                nodes, processes (running or not), log files
#   deploy/lab.sh down                                  stop everything and remove everything the lab made
#   deploy/lab.sh kill COMPONENT [NODE|INDEX|leader]    SIGKILL one process, as a crash would
#   deploy/lab.sh restart COMPONENT [NODE|INDEX]        stop it (if it runs) and start it again
#   deploy/lab.sh partition NODE                        cut the node off the lab network
#   deploy/lab.sh heal NODE                             connect it again
#   deploy/lab.sh exec NODE COMMAND...                  run a command in the node's network namespace
#   deploy/lab.sh env                                   print the exports that point mkctl and kubectl at the lab
#
# COMPONENT: etcd, apiserver, scheduler, controller-manager (INDEX 1..M, default 1; "leader" = the
# scheduler or controller-manager holding its Lease), dns, or containerd, kubelet, kube-proxy (NODE
# node1..nodeN, default node1). Run as root on Debian/Ubuntu.
#
# The shape (defaults; the environment variables in brackets change them at the first `up`):
#   host    etcd members etcd-1..M on 127.0.0.1 (one cluster), API servers apiserver-1..M on the lab
#           bridge's address, schedulers and controller-managers 1..M (one leader each, by Lease), the
#           cluster DNS (registered as kube-system/kube-dns at 10.96.0.10 [MINIK8S_LAB_DNS_IP], listening
#           on the bridge's address, port 53 [MINIK8S_LAB_DNS_PORT]). Every client gets every API server.
#   network bridge m8slab0 [MINIK8S_LAB_BRIDGE] with 172.31.255.1 on 172.31.255.0/24 [MINIK8S_LAB_SUBNET, a
#           /24]; node i is the namespace m8s-lab-node<i> [MINIK8S_LAB_NAME], joined by a veth (host side
#           <bridge>n<i>, eth0 inside) with the address .<10+i>, its pods on 10.244.<i>.0/24
#           [MINIK8S_LAB_POD_NET=10.244]. Every node and the host route each node's pod CIDR to that
#           node's address (on one L2 segment, like flannel's host-gw), so pod-to-pod traffic keeps its
#           addresses; CNI does not masquerade, the host masquerades what the pods send elsewhere.
#   ports   API server i: <base>+i (gRPC), <base>+10+i (health) and <base>+70+i (Kubernetes' REST API, for
#           kubectl); etcd i: <base>+20+i (clients) and <base>+30+i (peers); scheduler i: <base>+40+i;
#           controller-manager i: <base>+50+i; dns: <base>+60 (health); base 17400 [MINIK8S_LAB_PORT_BASE].
#           Inside a node: kubelet 10248 (health), 10250 (logs and exec), kube-proxy 10256, as on a real node.
#   state   everything under /var/lib/minik8s-lab [MINIK8S_LAB_STATE]: lab.env (the settings, fixed by
#           the first `up`), kubeconfig (for kubectl: API server 1 writes it, naming itself only; kubectl
#           takes one server), logs/<process>.log, run/<process>.pid, etcd-<i>/, nodes/node<i>/
#           (containerd root, state, socket, config, CNI config, pod logs).
#   flags   extra flags per component: MINIK8S_LAB_{APISERVER,SCHEDULER,CONTROLLER_MANAGER,DNS,KUBELET,
#           KUBE_PROXY}_FLAGS. The lab's defaults make node failures quick to watch:
#           controller-manager "--node-monitor-grace-period 20s --pod-eviction-timeout 10s", kubelet
#           "--node-status-update-frequency 4s". Heaps: MINIK8S_<COMPONENT>_HEAP as for bin/<component>.
#
# `down` stops every process, removes every pod (through the CRI), kube-proxy's rules (kube-proxy
# --cleanup in each namespace), the namespaces, veths, bridge, routes, the host's lab rules (tagged
# "minik8s-lab:<bridge>"), the mounts and the state directory (MINIK8S_LAB_KEEP_STATE=1 keeps it).

# shellcheck disable=SC2015 # "test && test || die": die is meant to run when either test fails
set -euo pipefail
shopt -s inherit_errexit
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
state=${MINIK8S_LAB_STATE:-/var/lib/minik8s-lab}
state=${state%/}

# ---------------------------------------------------------------------------------------------------
# settings

saved_settings=(MINIK8S_LAB_NAME MINIK8S_LAB_BRIDGE MINIK8S_LAB_SUBNET MINIK8S_LAB_POD_NET MINIK8S_LAB_PORT_BASE
  MINIK8S_LAB_DNS_IP MINIK8S_LAB_DNS_PORT MINIK8S_LAB_CLUSTER_DOMAIN MINIK8S_LAB_NODES MINIK8S_LAB_CONTROL_PLANES
  MINIK8S_LAB_APISERVER_FLAGS MINIK8S_LAB_SCHEDULER_FLAGS MINIK8S_LAB_CONTROLLER_MANAGER_FLAGS
  MINIK8S_LAB_DNS_FLAGS MINIK8S_LAB_KUBELET_FLAGS MINIK8S_LAB_KUBE_PROXY_FLAGS
  MINIK8S_APISERVER_HEAP MINIK8S_SCHEDULER_HEAP MINIK8S_CONTROLLER_MANAGER_HEAP MINIK8S_DNS_HEAP
  MINIK8S_KUBELET_HEAP MINIK8S_KUBE_PROXY_HEAP MINIK8S_JAVA_OPTS)

# The settings of an existing lab win over the environment: changing them under a running lab would
# orphan what it made (down first, then up with new ones).
# Sourced with allexport: the heaps and JVM options must reach bin/<component>.
if [ -f "$state/lab.env" ]; then
  set -a
  # shellcheck disable=SC1091
  . "$state/lab.env"
  set +a
fi
lab_name=${MINIK8S_LAB_NAME:-m8s-lab}
bridge=${MINIK8S_LAB_BRIDGE:-m8slab0}
subnet=${MINIK8S_LAB_SUBNET:-172.31.255.0/24}
pod_net=${MINIK8S_LAB_POD_NET:-10.244}
port_base=${MINIK8S_LAB_PORT_BASE:-17400}
dns_ip=${MINIK8S_LAB_DNS_IP:-10.96.0.10}
dns_port=${MINIK8S_LAB_DNS_PORT:-53}
cluster_domain=${MINIK8S_LAB_CLUSTER_DOMAIN:-cluster.local}
nodes=${MINIK8S_LAB_NODES:-3}
control_planes=${MINIK8S_LAB_CONTROL_PLANES:-1}
apiserver_flags=${MINIK8S_LAB_APISERVER_FLAGS-}
scheduler_flags=${MINIK8S_LAB_SCHEDULER_FLAGS-}
controller_manager_flags=${MINIK8S_LAB_CONTROLLER_MANAGER_FLAGS---node-monitor-grace-period 20s --pod-eviction-timeout 10s}
dns_flags=${MINIK8S_LAB_DNS_FLAGS-}
kubelet_flags=${MINIK8S_LAB_KUBELET_FLAGS---node-status-update-frequency 4s}
kube_proxy_flags=${MINIK8S_LAB_KUBE_PROXY_FLAGS-}
lab_exists=0
[ -f "$state/lab.env" ] && lab_exists=1

die() { echo "lab.sh: $*" >&2; exit 1; }
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

validate_settings() {
  [[ $subnet =~ ^([0-9]+\.[0-9]+\.[0-9]+)\.0/24$ ]] || die "MINIK8S_LAB_SUBNET must be a /24 like 172.31.255.0/24, got $subnet"
  [[ $pod_net =~ ^[0-9]+\.[0-9]+$ ]] || die "MINIK8S_LAB_POD_NET must be two octets like 10.244, got $pod_net"
  [[ $nodes =~ ^[0-9]+$ ]] && [ "$nodes" -ge 1 ] && [ "$nodes" -le 200 ] || die "--nodes must be 1..200, got $nodes"
  [[ $control_planes =~ ^[0-9]+$ ]] && [ "$control_planes" -ge 1 ] && [ "$control_planes" -le 9 ] \
    || die "--control-planes must be 1..9, got $control_planes"
  [ ${#bridge} -le 11 ] || die "MINIK8S_LAB_BRIDGE '$bridge' is longer than 11 characters (its veths add n<i>)"
  [[ $port_base =~ ^[0-9]+$ ]] && [ "$port_base" -ge 1024 ] && [ "$port_base" -le 65400 ] \
    || die "MINIK8S_LAB_PORT_BASE must be 1024..65400, got $port_base"
}
validate_settings
net_prefix=${subnet%.0/24}
bridge_ip=$net_prefix.1
cluster_cidr=$pod_net.0.0/16
rule_tag="minik8s-lab:$bridge"

node_ip() { echo "$net_prefix.$((10 + $1))"; }
node_cidr() { echo "$pod_net.$1.0/24"; }
node_ns() { echo "$lab_name-node$1"; }
node_veth() { echo "${bridge}n$1"; }
node_dir() { echo "$state/nodes/node$1"; }
node_sock() { echo "$(node_dir "$1")/containerd.sock"; }
apiserver_port() { echo $((port_base + $1)); }
apiserver_health_port() { echo $((port_base + 10 + $1)); }
apiserver_http_port() { echo $((port_base + 70 + $1)); }
etcd_client_port() { echo $((port_base + 20 + $1)); }
etcd_peer_port() { echo $((port_base + 30 + $1)); }
scheduler_health_port() { echo $((port_base + 40 + $1)); }
controller_manager_health_port() { echo $((port_base + 50 + $1)); }
dns_health_port() { echo $((port_base + 60)); }

api_servers() {
  local i out=
  for i in $(seq 1 "$control_planes"); do out+="${out:+,}$bridge_ip:$(apiserver_port "$i")"; done
  echo "$out"
}
etcd_servers() {
  local i out=
  for i in $(seq 1 "$control_planes"); do out+="${out:+,}http://127.0.0.1:$(etcd_client_port "$i")"; done
  echo "$out"
}

save_settings() {
  mkdir -p "$state"
  MINIK8S_LAB_NAME=$lab_name MINIK8S_LAB_BRIDGE=$bridge MINIK8S_LAB_SUBNET=$subnet MINIK8S_LAB_POD_NET=$pod_net
  MINIK8S_LAB_PORT_BASE=$port_base MINIK8S_LAB_DNS_IP=$dns_ip MINIK8S_LAB_DNS_PORT=$dns_port
  MINIK8S_LAB_CLUSTER_DOMAIN=$cluster_domain MINIK8S_LAB_NODES=$nodes MINIK8S_LAB_CONTROL_PLANES=$control_planes
  MINIK8S_LAB_APISERVER_FLAGS=$apiserver_flags MINIK8S_LAB_SCHEDULER_FLAGS=$scheduler_flags
  MINIK8S_LAB_CONTROLLER_MANAGER_FLAGS=$controller_manager_flags MINIK8S_LAB_DNS_FLAGS=$dns_flags
  MINIK8S_LAB_KUBELET_FLAGS=$kubelet_flags MINIK8S_LAB_KUBE_PROXY_FLAGS=$kube_proxy_flags
  local v tmp=$state/lab.env.tmp
  {
    echo "# minik8s lab settings, written by deploy/lab.sh up; read by every other lab.sh command."
    for v in "${saved_settings[@]}"; do
      if [ -n "${!v+set}" ]; then printf '%s=%q\n' "$v" "${!v}"; fi
    done
  } >"$tmp"
  mv "$tmp" "$state/lab.env"
}

# ---------------------------------------------------------------------------------------------------
# processes: a pid file holds "<pid> <start time>", so a reused pid is never taken for ours

logs=$state/logs
run=$state/run
# Every JVM of this lab carries this property, so a leftover can be told from anything else on the host.
lab_marker="-Dminik8s.lab=$state"

# "<state> <start time>" of a pid, from /proc/<pid>/stat (fields 3 and 22; field 2, the name, may hold spaces).
proc_stat() {
  local line
  read -r line 2>/dev/null <"/proc/$1/stat" || return 1
  # shellcheck disable=SC2086
  set -- ${line##*) }
  echo "$1 ${20}"
}
pid_of() { # name -> pid while it runs (a zombie waiting for init to reap it has stopped)
  local f=$run/$1.pid pid start s
  [ -f "$f" ] || return 1
  read -r pid start <"$f" || return 1
  [ -n "$pid" ] && s=$(proc_stat "$pid") || return 1
  [ "${s%% *}" != Z ] && [ "${s#* }" = "$start" ] || return 1
  echo "$pid"
}
running() { pid_of "$1" >/dev/null; }

# start NAME NAMESPACE(or "") COMMAND...: in the background, output appended to logs/NAME.log.
start() {
  local name=$1 ns=$2 pid
  shift 2
  if pid=$(pid_of "$name"); then echo "    $name already running (pid $pid)"; return 0; fi
  mkdir -p "$logs" "$run"
  if [ -n "$ns" ]; then
    # nsenter, not `ip netns exec`: the latter remounts /sys in a new mount namespace, the cgroup mounts
    # vanish and runc cannot create containers. nsenter execs the command, so $! is its pid.
    set -- nsenter --net="/var/run/netns/$ns" -- "$@"
  fi
  MINIK8S_JAVA_OPTS="${MINIK8S_JAVA_OPTS:-} $lab_marker" nohup "$@" >>"$logs/$name.log" 2>&1 </dev/null &
  pid=$!
  # The start time identifies the process; read it once the child exists.
  local start_ticks=
  for _ in 1 2 3 4 5 6 7 8 9 10; do start_ticks=$(proc_stat "$pid") && break; sleep 0.05; done
  start_ticks=${start_ticks#* }
  echo "$pid $start_ticks" >"$run/$name.pid"
  echo "    $name started (pid $pid, log $logs/$name.log)"
}

# stop SIGNAL NAME...: sends SIGNAL (TERM or KILL) to each that runs, all at once, then waits until
# all are gone (KILL for those still there after 15 s).
stop() {
  local sig=$1 name pid k deadline=$((SECONDS + 15))
  shift
  local -a names=() pids=()
  for name in "$@"; do
    if pid=$(pid_of "$name"); then
      kill -"$sig" "$pid" 2>/dev/null || true
      names+=("$name")
      pids+=("$pid")
    fi
  done
  for k in "${!names[@]}"; do
    while running "${names[$k]}"; do
      if [ "$SECONDS" -ge "$deadline" ]; then kill -KILL "${pids[$k]}" 2>/dev/null || true; fi
      sleep 0.1
    done
    echo "    ${names[$k]} stopped (pid ${pids[$k]}, SIG$sig)"
  done
  for name in "$@"; do rm -f "$run/$name.pid"; done
}

# wait_until SECONDS WHAT LOG COMMAND...: polls COMMAND until it succeeds; on timeout shows LOG's tail.
wait_until() {
  local seconds=$1 what=$2 log=$3 deadline
  shift 3
  deadline=$((SECONDS + seconds))
  while ! "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "lab.sh: $what not ready within ${seconds}s" >&2
      if [ -n "$log" ] && [ -f "$log" ]; then echo "--- last lines of $log ---" >&2; tail -n 30 "$log" >&2; fi
      return 1
    fi
    sleep 0.5
  done
  echo "    $what ready"
}
http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }
in_ns() { local ns=$1; shift; nsenter --net="/var/run/netns/$ns" -- "$@"; }
ns_exists() { [ -e "/var/run/netns/$1" ]; }
mkctl() { MINIK8S_SERVER=$(api_servers) "$root/bin/mkctl" "$@"; }

# ---------------------------------------------------------------------------------------------------
# the control plane

start_etcd() {
  local i=$1 j cluster=
  for j in $(seq 1 "$control_planes"); do cluster+="${cluster:+,}etcd-$j=http://127.0.0.1:$(etcd_peer_port "$j")"; done
  mkdir -p "$state/etcd-$i"
  start "etcd-$i" "" etcd --name "etcd-$i" --data-dir "$state/etcd-$i" \
    --listen-client-urls "http://127.0.0.1:$(etcd_client_port "$i")" \
    --advertise-client-urls "http://127.0.0.1:$(etcd_client_port "$i")" \
    --listen-peer-urls "http://127.0.0.1:$(etcd_peer_port "$i")" \
    --initial-advertise-peer-urls "http://127.0.0.1:$(etcd_peer_port "$i")" \
    --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token "$lab_name"
}
wait_etcd() { wait_until 60 "etcd-$1" "$logs/etcd-$1.log" http_ok "http://127.0.0.1:$(etcd_client_port "$1")/health"; }

start_apiserver() {
  local i=$1 kubeconfig=()
  # One kubeconfig for kubectl, which talks to one server: API server 1's.
  [ "$i" = 1 ] && kubeconfig=(--write-kubeconfig "$state/kubeconfig")
  # shellcheck disable=SC2086
  start "apiserver-$i" "" "$root/bin/apiserver" --etcd-servers "$(etcd_servers)" --bind-address "$bridge_ip" \
    --port "$(apiserver_port "$i")" --advertise-address "$bridge_ip" --health-port "$(apiserver_health_port "$i")" \
    --health-bind-address 127.0.0.1 --http-port "$(apiserver_http_port "$i")" "${kubeconfig[@]}" $apiserver_flags
}
wait_apiserver() {
  wait_until 120 "apiserver-$1" "$logs/apiserver-$1.log" http_ok "http://127.0.0.1:$(apiserver_health_port "$1")/readyz"
}

start_scheduler() {
  local i=$1
  # shellcheck disable=SC2086
  start "scheduler-$i" "" "$root/bin/scheduler" --apiserver "$(api_servers)" --identity "scheduler-$i" \
    --health-port "$(scheduler_health_port "$i")" --health-bind-address 127.0.0.1 $scheduler_flags
}
wait_scheduler() {
  wait_until 120 "scheduler-$1" "$logs/scheduler-$1.log" http_ok "http://127.0.0.1:$(scheduler_health_port "$1")/healthz"
}

start_controller_manager() {
  local i=$1
  # shellcheck disable=SC2086
  start "controller-manager-$i" "" "$root/bin/controller-manager" --apiserver "$(api_servers)" \
    --identity "controller-manager-$i" --health-port "$(controller_manager_health_port "$i")" \
    --health-bind-address 127.0.0.1 $controller_manager_flags
}
wait_controller_manager() {
  wait_until 120 "controller-manager-$1" "$logs/controller-manager-$1.log" \
    http_ok "http://127.0.0.1:$(controller_manager_health_port "$1")/healthz"
}

# The DNS is not a pod: like the API server behind the Service kubernetes, it registers itself as the
# Service kube-system/kube-dns (ClusterIP $dns_ip) with its own address in the Endpoints; every node's
# kube-proxy sends 10.96.0.10:53 there, across the lab bridge.
start_dns() {
  # shellcheck disable=SC2086
  start dns "" "$root/bin/dns" --apiserver "$(api_servers)" --cluster-domain "$cluster_domain" \
    --listen "$bridge_ip:$dns_port" --service kube-system/kube-dns --service-ip "$dns_ip" \
    --advertise-address "$bridge_ip" --health-port "$(dns_health_port)" --health-bind-address 127.0.0.1 $dns_flags
}
wait_dns() { wait_until 120 dns "$logs/dns.log" http_ok "http://127.0.0.1:$(dns_health_port)/readyz"; }

# ---------------------------------------------------------------------------------------------------
# the network

# iptables rules on the host (table, chain, match, target), each tagged with the lab's comment so
# that down finds them all. Hosts with Docker drop forwarded traffic by default: the lab's own traffic
# is accepted, and what the pods send off the lab leaves with the host's address.
host_rules=(
  "filter|FORWARD|-i $bridge|ACCEPT"
  "filter|FORWARD|-o $bridge|ACCEPT"
  "nat|POSTROUTING|-s $cluster_cidr ! -d $cluster_cidr ! -o $bridge|MASQUERADE"
)

setup_host_network() {
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
    echo "    bridge $bridge created"
  fi
  ip addr replace "$bridge_ip/24" dev "$bridge"
  ip link set "$bridge" up
  local r table chain match target
  for r in "${host_rules[@]}"; do
    IFS='|' read -r table chain match target <<<"$r"
    # shellcheck disable=SC2086
    if ! iptables -t "$table" -C "$chain" $match -m comment --comment "$rule_tag" -j "$target" 2>/dev/null; then
      # shellcheck disable=SC2086
      iptables -t "$table" -I "$chain" 1 $match -m comment --comment "$rule_tag" -j "$target"
    fi
  done
  if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]; then
    echo 0 >"$run/ip_forward.before"
    echo 1 >/proc/sys/net/ipv4/ip_forward
    echo "    net.ipv4.ip_forward set to 1 (down restores 0)"
  fi
}

remove_host_network() {
  if ip link show "$bridge" >/dev/null 2>&1; then
    ip link del "$bridge"
    echo "    bridge $bridge removed (and the routes through it)"
  fi
  local table line rules
  for table in filter nat; do
    # iptables-save quotes the comment: -m comment --comment "minik8s-lab:<bridge>"
    rules=$(iptables-save -t "$table" 2>/dev/null | grep -F -- "\"$rule_tag\"" | grep '^-A ' || true)
    while read -r line; do
      [ -n "$line" ] || continue
      eval "iptables -t $table -D ${line#-A }" && echo "    removed iptables rule ($table) $line"
    done <<<"$rules"
  done
  if [ -f "$run/ip_forward.before" ]; then
    cat "$run/ip_forward.before" >/proc/sys/net/ipv4/ip_forward
    echo "    net.ipv4.ip_forward restored to $(cat "$run/ip_forward.before")"
  fi
}

# The node's namespace, its veth to the bridge, its address and routes; safe to run again.
setup_node_network() {
  local i=$1 ns veth j
  ns=$(node_ns "$i")
  veth=$(node_veth "$i")
  if ! ns_exists "$ns"; then
    ip netns add "$ns"
  fi
  if ! ip link show "$veth" >/dev/null 2>&1; then
    ip link add "$veth" type veth peer name eth0 netns "$ns"
  fi
  ip link set "$veth" master "$bridge"
  ip link set "$veth" up
  in_ns "$ns" ip link set lo up
  in_ns "$ns" ip addr replace "$(node_ip "$i")/24" dev eth0
  in_ns "$ns" ip link set eth0 up
  in_ns "$ns" ip route replace default via "$bridge_ip"
  # Pods reach each other through the namespaces' forwarding; a Service address that DNATs a pod's
  # packet to another pod on the same CNI bridge needs the bridge's traffic seen by iptables.
  in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1
  if in_ns "$ns" test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
    in_ns "$ns" sysctl -qw net.bridge.bridge-nf-call-iptables=1
  fi
  ip route replace "$(node_cidr "$i")" via "$(node_ip "$i")" dev "$bridge"
}

# Every node reaches every other node's pods directly over the bridge (host-gw).
setup_pod_routes() {
  local i j
  for i in $(seq 1 "$nodes"); do
    for j in $(seq 1 "$nodes"); do
      [ "$i" = "$j" ] && continue
      in_ns "$(node_ns "$i")" ip route replace "$(node_cidr "$j")" via "$(node_ip "$j")"
    done
  done
}

# ---------------------------------------------------------------------------------------------------
# the nodes

node_number() { # node1 -> 1
  [[ ${1:-} =~ ^node([0-9]+)$ ]] || die "no such node: ${1:-} (nodes are node1..node$nodes)"
  local i=${BASH_REMATCH[1]}
  [ "$i" -ge 1 ] && [ "$i" -le "$nodes" ] || die "no such node: $1 (nodes are node1..node$nodes)"
  echo "$i"
}

start_containerd() {
  local i=$1 dir
  dir=$(node_dir "$i")
  mkdir -p "$dir"/{containerd/root,containerd/state,cni/conf,cni/ipam,pod-logs}
  "$root/deploy/containerd/write-cni.sh" --bridge cni0 --subnet "$(node_cidr "$i")" --data-dir "$dir/cni/ipam" \
    --ip-masq false >"$dir/cni/conf/10-minik8s.conflist"
  "$root/deploy/containerd/write-config.sh" --root "$dir/containerd/root" --state "$dir/containerd/state" \
    --address "$(node_sock "$i")" --cni-conf-dir "$dir/cni/conf" >"$dir/containerd/config.toml"
  start "node$i-containerd" "$(node_ns "$i")" containerd --config "$dir/containerd/config.toml"
}
wait_containerd() {
  wait_until 60 "node$1-containerd" "$logs/node$1-containerd.log" ctr -a "$(node_sock "$1")" version
}
load_images() {
  local sock
  sock=$(node_sock "$1")
  if ctr -a "$sock" -n k8s.io images ls -q 2>/dev/null | grep -qx localhost/busybox:latest \
      && ctr -a "$sock" -n k8s.io images ls -q 2>/dev/null | grep -qx localhost/pause:latest; then
    return 0
  fi
  "$root/deploy/images/load.sh" --address "$sock" >"$logs/node$1-images.log" 2>&1 \
    || { cat "$logs/node$1-images.log" >&2; die "could not load the local images into node$1's containerd"; }
  echo "    node$1: images localhost/busybox:latest, localhost/pause:latest loaded"
}

start_kube_proxy() {
  local i=$1
  # shellcheck disable=SC2086
  start "node$i-kube-proxy" "$(node_ns "$i")" "$root/bin/kube-proxy" --apiserver "$(api_servers)" \
    --node-name "node$i" --cluster-cidr "$cluster_cidr" --health-port 10256 --health-bind-address 127.0.0.1 \
    $kube_proxy_flags
}
wait_kube_proxy() {
  wait_until 120 "node$1-kube-proxy" "$logs/node$1-kube-proxy.log" \
    in_ns "$(node_ns "$1")" curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:10256/healthz
}

start_kubelet() {
  local i=$1
  # shellcheck disable=SC2086
  start "node$i-kubelet" "$(node_ns "$i")" "$root/bin/kubelet" --apiserver "$(api_servers)" --node-name "node$i" \
    --node-ip "$(node_ip "$i")" --container-runtime-endpoint "unix://$(node_sock "$i")" --pod-cidr "$(node_cidr "$i")" \
    --pod-log-dir "$(node_dir "$i")/pod-logs" --cluster-dns "$dns_ip" --cluster-domain "$cluster_domain" \
    --health-port 10248 --health-bind-address 127.0.0.1 --log-port 10250 $kubelet_flags
}
wait_kubelet() {
  wait_until 120 "node$1-kubelet" "$logs/node$1-kubelet.log" \
    in_ns "$(node_ns "$1")" curl -fsS -o /dev/null --max-time 2 http://127.0.0.1:10248/healthz
}
node_ready() { mkctl get node "node$1" --no-headers 2>/dev/null | awk '{print $2}' | grep -qx Ready; }

# Removes one node: its pods (through the CRI, so CNI releases their addresses), its processes,
# kube-proxy's rules, its mounts and its namespace (with the veth pair and the CNI bridge in it).
remove_node() {
  local i=$1 ns dir sock
  ns=$(node_ns "$i")
  dir=$(node_dir "$i")
  sock=$(node_sock "$i")
  stop TERM "node$i-kubelet" "node$i-kube-proxy"
  if ns_exists "$ns" && ! running "node$i-containerd" && [ -d "$dir/containerd/state" ]; then
    # Pods may still run (containerd was killed): a containerd is needed to remove them properly.
    start_containerd "$i" >/dev/null
    wait_until 30 "node$i-containerd (to remove its pods)" "$logs/node$i-containerd.log" ctr -a "$sock" version || true
  fi
  if running "node$i-containerd"; then
    java -Xmx96m -XX:+UseSerialGC "$lab_marker" -cp "$root/kubelet/target/kubelet.jar" io.minik8s.kubelet.cri.CriCleanup \
      --endpoint "unix://$sock" >>"$logs/node$i-cleanup.log" 2>&1 \
      || echo "    node$i: could not remove every pod through the CRI (see $logs/node$i-cleanup.log)" >&2
  fi
  stop TERM "node$i-containerd"
  kill_leftover_containers "$i"
  if ns_exists "$ns"; then
    in_ns "$ns" "$root/bin/kube-proxy" --cleanup >>"$logs/node$i-cleanup.log" 2>&1 \
      || echo "    node$i: kube-proxy --cleanup failed (see $logs/node$i-cleanup.log)" >&2
  fi
  unmount_below "$dir"
  if ns_exists "$ns"; then
    ip netns del "$ns"
    echo "    node$i: namespace $ns removed"
  fi
  if ip link show "$(node_veth "$i")" >/dev/null 2>&1; then ip link del "$(node_veth "$i")"; fi
}

# Containers whose containerd is gone keep running under their shims; runc knows them by its root.
kill_leftover_containers() {
  local i=$1 runc_root id pid
  runc_root="$(node_dir "$i")/containerd/state/runc/k8s.io"
  if [ -d "$runc_root" ] && command -v runc >/dev/null 2>&1; then
    for id in $(runc --root "$runc_root" list -q 2>/dev/null); do
      runc --root "$runc_root" kill "$id" KILL 2>/dev/null || true
      runc --root "$runc_root" delete --force "$id" 2>/dev/null || true
    done
  fi
  # Shims name their containerd's socket on their command line.
  for pid in $(pids_with_arg "$(node_sock "$i")"); do
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# Pids of processes one of whose arguments is exactly TEXT, or, with a second argument "prefix", starts
# with TEXT. Reads /proc with builtins only, so the scan never finds its own helpers.
pids_with_arg() {
  local text=$1 mode=${2:-exact} p a
  local -a args
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = $$ ] && continue
    mapfile -d '' args 2>/dev/null <"/proc/$p/cmdline" || continue
    for a in "${args[@]}"; do
      if [ "$a" = "$text" ] || { [ "$mode" = prefix ] && [ "${a#"$text"}" != "$a" ]; }; then
        echo "$p"
        break
      fi
    done
  done
  return 0
}

# The processes of this lab that are still alive: JVMs carry the lab's marker, etcd, containerd and the
# shims name a path in the state directory.
lab_pids() {
  { pids_with_arg "$lab_marker"; pids_with_arg "$state/" prefix; } | sort -un
}

unmount_below() {
  local dir=$1 m
  { grep -F " $dir/" /proc/mounts || true; } | awk '{print $2}' | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
}

# ---------------------------------------------------------------------------------------------------
# commands

preflight() {
  [ "$(id -u)" -eq 0 ] || die "run as root: the lab makes network namespaces, a bridge and iptables rules"
  "$root/deploy/install-deps.sh" >/dev/null
  local c
  for c in etcd containerd ctr runc ip iptables iptables-save nsenter curl java; do
    command -v "$c" >/dev/null 2>&1 || die "$c is missing (deploy/install-deps.sh installs it)"
  done
  local jar missing=0
  for jar in apiserver/target/apiserver.jar scheduler/target/scheduler.jar kubelet/target/kubelet.jar \
      controller-manager/target/controller-manager.jar kube-proxy/target/kube-proxy.jar dns/target/dns.jar \
      cli/target/mkctl.jar; do
    [ -f "$root/$jar" ] || missing=1
  done
  if [ "$missing" = 1 ]; then
    echo "==> build (mvn package -DskipTests)"
    (cd "$root" && mvn -B -q -ntp package -DskipTests)
  fi
}

cmd_up() {
  local want_nodes=$nodes want_cp=$control_planes
  while [ $# -gt 0 ]; do
    case $1 in
      --nodes) want_nodes=${2:?--nodes needs a number}; shift 2 ;;
      --control-planes) want_cp=${2:?--control-planes needs a number}; shift 2 ;;
      *) die "up: unknown argument $1" ;;
    esac
  done
  [[ $want_nodes =~ ^[0-9]+$ ]] || die "--nodes must be a number, got $want_nodes"
  if [ "$lab_exists" = 1 ]; then
    [ "$want_cp" = "$control_planes" ] \
      || die "this lab has $control_planes control plane(s); run lab.sh down before changing it"
    if [ "$want_nodes" -lt "$nodes" ]; then
      die "this lab has $nodes nodes; run lab.sh down before shrinking it"
    fi
  fi
  nodes=$want_nodes
  control_planes=$want_cp
  validate_settings
  preflight
  mkdir -p "$logs" "$run"
  save_settings
  local i

  echo "==> lab network: bridge $bridge ($bridge_ip on $subnet)"
  setup_host_network

  echo "==> etcd: $control_planes member(s) on 127.0.0.1"
  for i in $(seq 1 "$control_planes"); do start_etcd "$i"; done
  for i in $(seq 1 "$control_planes"); do wait_etcd "$i"; done

  echo "==> API servers: $(api_servers)"
  for i in $(seq 1 "$control_planes"); do start_apiserver "$i"; done
  for i in $(seq 1 "$control_planes"); do wait_apiserver "$i"; done

  echo "==> schedulers, controller-managers, cluster DNS ($dns_ip -> $bridge_ip:$dns_port)"
  for i in $(seq 1 "$control_planes"); do start_scheduler "$i"; start_controller_manager "$i"; done
  start_dns

  echo "==> nodes: node1..node$nodes in namespaces $(node_ns 1)..; pods on $(node_cidr 1)..$(node_cidr "$nodes")"
  for i in $(seq 1 "$nodes"); do setup_node_network "$i"; done
  setup_pod_routes
  for i in $(seq 1 "$nodes"); do start_containerd "$i"; done
  for i in $(seq 1 "$nodes"); do wait_containerd "$i"; load_images "$i"; done
  for i in $(seq 1 "$nodes"); do start_kube_proxy "$i"; start_kubelet "$i"; done

  echo "==> waiting for every process and node"
  for i in $(seq 1 "$control_planes"); do wait_scheduler "$i"; wait_controller_manager "$i"; done
  wait_dns
  for i in $(seq 1 "$nodes"); do wait_kube_proxy "$i"; wait_kubelet "$i"; done
  for i in $(seq 1 "$nodes"); do wait_until 120 "node$i (Ready)" "$logs/node$i-kubelet.log" node_ready "$i"; done

  cat <<EOT

The lab is up: $control_planes control plane(s), $nodes node(s). State, logs and pids: $state
  export MINIK8S_SERVER=$(api_servers)
  $root/bin/mkctl get nodes -o wide
  $root/deploy/lab.sh status
  $root/deploy/lab.sh partition node$nodes ; $root/deploy/lab.sh heal node$nodes
  $root/deploy/lab.sh down

kubectl (API server 1, $bridge_ip:$(apiserver_http_port 1)), then: kubectl get nodes -o wide
export KUBECONFIG=$state/kubeconfig
EOT
}

cmd_status() {
  [ "$lab_exists" = 1 ] || { echo "no lab in $state (deploy/lab.sh up starts one)"; return 0; }
  echo "lab $lab_name: $control_planes control plane(s), $nodes node(s); state $state"
  echo "network: bridge $bridge $bridge_ip ($subnet), pods $cluster_cidr, DNS $dns_ip -> $bridge_ip:$dns_port"
  echo "export MINIK8S_SERVER=$(api_servers)"
  echo
  mkctl get nodes -o wide 2>&1 || echo "(no API server answers)"
  echo
  printf '%-24s %-8s %-8s %s\n' PROCESS STATE PID LOG
  local name pid i
  local names=()
  for i in $(seq 1 "$control_planes"); do names+=("etcd-$i" "apiserver-$i" "scheduler-$i" "controller-manager-$i"); done
  names+=(dns)
  for i in $(seq 1 "$nodes"); do names+=("node$i-containerd" "node$i-kube-proxy" "node$i-kubelet"); done
  for name in "${names[@]}"; do
    if pid=$(pid_of "$name"); then
      printf '%-24s %-8s %-8s %s\n' "$name" running "$pid" "$logs/$name.log"
    else
      printf '%-24s %-8s %-8s %s\n' "$name" DOWN - "$logs/$name.log"
    fi
  done
  echo
  for i in $(seq 1 "$nodes"); do
    local veth state_word=connected
    veth=$(node_veth "$i")
    if ! ip link show "$veth" >/dev/null 2>&1; then
      state_word="no link"
    elif ! ip link show "$veth" | grep -q ',UP'; then
      state_word=PARTITIONED
    fi
    printf 'node%-3s %-16s %-15s pods %-16s %s\n' "$i" "$(node_ns "$i")" "$(node_ip "$i")" "$(node_cidr "$i")" "$state_word"
  done
  echo
  echo "leaders (Leases in kube-system):"
  mkctl get lease -n kube-system 2>/dev/null | sed 's/^/  /' || echo "  (no API server answers)"
}

# The holderIdentity of the component's leader-election Lease (scheduler-2, ...).
leader_of() {
  mkctl get lease "minik8s-$1" -n kube-system -o json 2>/dev/null \
    | sed -n 's/.*"holderIdentity" *: *"\([^"]*\)".*/\1/p' | head -1
}

# component INSTANCE -> process name (etcd 2 -> etcd-2, kubelet node1 -> node1-kubelet)
process_name() {
  local component=$1 which=${2:-}
  case $component in
    etcd|apiserver|scheduler|controller-manager)
      if [ "$which" = leader ]; then
        case $component in scheduler|controller-manager) ;; *) die "only scheduler and controller-manager have a leader" ;; esac
        local holder
        holder=$(leader_of "$component")
        [[ $holder =~ ^$component-([0-9]+)$ ]] || die "cannot tell the $component leader (Lease holder: '${holder}')"
        which=${BASH_REMATCH[1]}
      fi
      which=${which:-1}
      [[ $which =~ ^[0-9]+$ ]] && [ "$which" -ge 1 ] && [ "$which" -le "$control_planes" ] \
        || die "$component INDEX must be 1..$control_planes, got $which"
      echo "$component-$which" ;;
    dns) echo dns ;;
    containerd|kubelet|kube-proxy)
      local i
      i=$(node_number "${which:-node1}")
      echo "node$i-$component" ;;
    *) die "unknown component $component (etcd, apiserver, scheduler, controller-manager, dns, containerd, kubelet, kube-proxy)" ;;
  esac
}

cmd_kill() {
  [ "$lab_exists" = 1 ] || die "no lab in $state"
  [ $# -ge 1 ] || die "usage: lab.sh kill COMPONENT [NODE|INDEX|leader]"
  local name
  name=$(process_name "$@")
  running "$name" || { echo "$name is not running"; return 0; }
  stop KILL "$name"
}

cmd_restart() {
  [ "$lab_exists" = 1 ] || die "no lab in $state"
  [ $# -ge 1 ] || die "usage: lab.sh restart COMPONENT [NODE|INDEX]"
  local name n
  name=$(process_name "$@")
  stop TERM "$name"
  case $name in
    etcd-*) n=${name#etcd-}; start_etcd "$n"; wait_etcd "$n" ;;
    apiserver-*) n=${name#apiserver-}; start_apiserver "$n"; wait_apiserver "$n" ;;
    scheduler-*) n=${name#scheduler-}; start_scheduler "$n"; wait_scheduler "$n" ;;
    controller-manager-*) n=${name#controller-manager-}; start_controller_manager "$n"; wait_controller_manager "$n" ;;
    dns) start_dns; wait_dns ;;
    node*-containerd) n=${name%-containerd}; n=${n#node}; start_containerd "$n"; wait_containerd "$n" ;;
    node*-kube-proxy) n=${name%-kube-proxy}; n=${n#node}; start_kube_proxy "$n"; wait_kube_proxy "$n" ;;
    node*-kubelet) n=${name%-kubelet}; n=${n#node}; start_kubelet "$n"; wait_kubelet "$n" ;;
  esac
}

cmd_partition() {
  [ "$lab_exists" = 1 ] || die "no lab in $state"
  local i
  i=$(node_number "${1:-}")
  ip link set "$(node_veth "$i")" down
  echo "node$i is cut off: its link $(node_veth "$i") is down (lab.sh heal node$i restores it)"
}

cmd_heal() {
  [ "$lab_exists" = 1 ] || die "no lab in $state"
  local i
  i=$(node_number "${1:-}")
  ip link set "$(node_veth "$i")" up
  echo "node$i is connected again"
}

cmd_exec() {
  [ "$lab_exists" = 1 ] || die "no lab in $state"
  local i
  i=$(node_number "${1:-}")
  shift
  [ $# -ge 1 ] || die "usage: lab.sh exec NODE COMMAND..."
  exec nsenter --net="/var/run/netns/$(node_ns "$i")" -- "$@"
}

cmd_down() {
  [ "$(id -u)" -eq 0 ] || die "run as root"
  local i n=$nodes
  # Nodes added by an interrupted up may not be counted in lab.env yet.
  for d in "$state"/nodes/node*; do
    [ -d "$d" ] || continue
    i=${d##*/node}
    [[ $i =~ ^[0-9]+$ ]] && [ "$i" -gt "$n" ] && n=$i
  done
  nodes=$n
  echo "==> nodes"
  # One node's removal waits mostly on JVMs starting and stopping: all nodes at once.
  for i in $(seq 1 "$n"); do remove_node "$i" & done
  wait
  echo "==> control plane"
  # The DNS takes its address out of kube-system/kube-dns on SIGTERM: stop it while API servers run.
  stop TERM dns
  local cp=() api=() etcds=()
  for i in $(seq 1 "$control_planes"); do
    cp+=("scheduler-$i" "controller-manager-$i")
    api+=("apiserver-$i")
    etcds+=("etcd-$i")
  done
  stop TERM "${cp[@]}"
  stop TERM "${api[@]}"
  stop TERM "${etcds[@]}"
  echo "==> network"
  remove_host_network
  # Anything of this lab that outlived its pid file (an interrupted up) carries the lab's marker.
  local pid
  for pid in $(lab_pids); do
    echo "    leftover process $pid: $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | cut -c1-100)" >&2
    kill -KILL "$pid" 2>/dev/null || true
  done
  unmount_below "$state"
  if [ "${MINIK8S_LAB_KEEP_STATE:-0}" != 1 ]; then
    rm -rf "$state"
    echo "    removed $state"
  fi
}

cmd_env() {
  [ "$lab_exists" = 1 ] || die "no lab in $state"
  echo "export MINIK8S_SERVER=$(api_servers)"
  echo "export KUBECONFIG=$state/kubeconfig"
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
  up) cmd_up "$@" ;;
  status) cmd_status ;;
  down) cmd_down ;;
  kill) cmd_kill "$@" ;;
  restart) cmd_restart "$@" ;;
  partition) cmd_partition "$@" ;;
  heal) cmd_heal "$@" ;;
  exec) cmd_exec "$@" ;;
  env) cmd_env ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
