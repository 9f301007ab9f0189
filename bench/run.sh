#!/usr/bin/env bash
# Runs the benchmarks (all, or the ones named) and writes JSON to bench/results/.
#   bench/run.sh                 # every benchmark
#   bench/run.sh pod-startup     # one
#   bench/run.sh --smoke         # a few iterations of each: checks they still run
#   bench/run.sh --help          # every benchmark and option, and the heap of each JVM
# Needs root (a private containerd with CNI, throwaway network namespaces) and the packages of
# deploy/install-deps.sh.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
for jar in apiserver/target/apiserver.jar scheduler/target/scheduler.jar kubelet/target/kubelet.jar \
    kube-proxy/target/kube-proxy.jar controller-manager/target/controller-manager.jar bench/target/bench.jar; do
  [ -f "$jar" ] || { mvn -B -q -ntp package -DskipTests; break; }
done
# Every JVM's heap is set explicitly (2-core build machines run many of them side by side).
bench_jvm=(-Xmx256m -XX:+UseSerialGC ${MINIK8S_BENCH_JAVA_OPTS:-})
heaps="JVM heaps: this benchmark driver (watchers, clients, jetcd) ${bench_jvm[*]};
  API server -Xmx256m -XX:+UseSerialGC (testkit Cluster); scheduler, kubelet -Xmx192m -XX:+UseSerialGC;
  kube-proxy (kube-proxy-latency) -Xmx128m -XX:+UseSerialGC; scheduling and memory: API server -Xmx768m,
  scheduler -Xmx256m, controller-manager -Xmx256m, hollow-nodes -Xmx512m (all -XX:+UseSerialGC).
  etcd and containerd are Debian's, not JVMs."
for arg in "$@"; do
  if [ "$arg" = --help ] || [ "$arg" = -h ]; then
    java "${bench_jvm[@]}" -jar bench/target/bench.jar --help
    echo
    echo "$heaps"
    exit 0
  fi
done
exec java "${bench_jvm[@]}" -Dminik8s.root="$root" -jar bench/target/bench.jar --results "$root/bench/results" "$@"
