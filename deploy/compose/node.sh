#!/usr/bin/env bash
# Entry point of a node container: its own containerd (state on the container's volume), the local
# images, routes to the other nodes' pod subnets, kube-proxy, and the kubelet in the foreground.
# Environment: NODE_NAME, NODE_IP, POD_CIDR, CLUSTER_CIDR, API_SERVERS, PEER_ROUTES (routes to the
# other nodes' pod subnets, "10.244.2.0/24 via 172.30.0.22;...").
set -euo pipefail
state=/var/lib/minik8s
sock=/run/minik8s/containerd.sock
mkdir -p "$state"/{containerd,cni-ipam,pod-logs} /run/minik8s /etc/minik8s/cni
/opt/minik8s/deploy/containerd/write-config.sh --root "$state/containerd" --state /run/minik8s/containerd-state \
  --address "$sock" --cni-conf-dir /etc/minik8s/cni >/etc/minik8s/containerd.toml
/opt/minik8s/deploy/containerd/write-cni.sh --bridge minik8s0 --subnet "$POD_CIDR" --data-dir "$state/cni-ipam" \
  >/etc/minik8s/cni/10-minik8s.conflist

trap 'kill -TERM $(jobs -p) 2>/dev/null; wait' TERM INT
containerd --config /etc/minik8s/containerd.toml &
for _ in $(seq 1 60); do [ -S "$sock" ] && break; sleep 0.5; done
/opt/minik8s/deploy/images/load.sh --address "$sock"

IFS=';' read -ra routes <<<"${PEER_ROUTES:-}"
for route in "${routes[@]}"; do
  [ -n "$route" ] && ip route replace $route
done

/opt/minik8s/bin/kube-proxy --apiserver "$API_SERVERS" --node-name "$NODE_NAME" --cluster-cidr "$CLUSTER_CIDR" \
  --health-port 10256 &
/opt/minik8s/bin/kubelet --apiserver "$API_SERVERS" --node-name "$NODE_NAME" --node-ip "$NODE_IP" \
  --pod-cidr "$POD_CIDR" --container-runtime-endpoint "unix://$sock" --pod-log-dir "$state/pod-logs" \
  --cluster-dns 10.96.0.10 --health-port 10248 --log-port 10250 &
wait -n
