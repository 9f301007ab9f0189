#!/usr/bin/env bash
# Stops what deploy/up.sh started and removes its state directory (etcd data, logs, pids).
#   deploy/down.sh            # MINIK8S_KEEP_STATE=1 keeps the data
set -euo pipefail
state=${MINIK8S_STATE:-/var/lib/minik8s}
for name in apiserver etcd; do
  pidfile="$state/run/$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
done
if [ "${MINIK8S_KEEP_STATE:-0}" != 1 ]; then
  rm -rf "$state"
  echo "removed $state"
fi
