#!/usr/bin/env bash
# The whole test run: unit tests, integration tests against a real etcd, and end-to-end tests that
# start the real processes. Each test starts the etcd (and later containerd) it needs on free ports.
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B -ntp verify "$@"
