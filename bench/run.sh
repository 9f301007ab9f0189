#!/usr/bin/env bash
# Runs the benchmarks (all, or the ones named) and writes JSON to bench/results/.
#   bench/run.sh                 # every benchmark
#   bench/run.sh pod-startup     # one
#   bench/run.sh --smoke         # a few iterations of each: checks they still run
# Needs root (a private containerd with CNI) and the packages of deploy/install-deps.sh.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
for jar in apiserver/target/apiserver.jar scheduler/target/scheduler.jar controller-manager/target/controller-manager.jar kubelet/target/kubelet.jar bench/target/bench.jar; do
  [ -f "$jar" ] || { mvn -B -q -ntp package -DskipTests; break; }
done
exec java -Xmx256m -XX:+UseSerialGC ${MINIK8S_BENCH_JAVA_OPTS:-} -Dminik8s.root="$root" -jar bench/target/bench.jar --results "$root/bench/results" "$@"
