#!/usr/bin/env bash
# One host, one command: installs what is missing, builds the jars if needed, and starts etcd and the
# minik8s control plane as background processes, with logs and pid files under one state directory.
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
mkdir -p "$state"/{logs,run,etcd}

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
if [ ! -f "$root/apiserver/target/apiserver.jar" ] || [ ! -f "$root/cli/target/mkctl.jar" ]; then
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

cat <<EOT

minik8s is up. State, logs and pids: $state
Next:
  export MINIK8S_SERVER=127.0.0.1:$api_port
  $root/bin/mkctl apply -f $root/examples/
  $root/bin/mkctl get ns,deploy,svc,pods -A
  $root/deploy/down.sh         # stop everything and remove what up.sh made
EOT
