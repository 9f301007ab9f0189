"""Lists the pods of a namespace, prints the list's resourceVersion, then watches the pods from that
version and prints each event as one JSON line, until the pod named STOP is DELETED; then a second
watch with timeout_seconds=1 must end on its own. Arguments: KUBECONFIG NAMESPACE STOP."""
import sys
import time

from kubernetes import client, watch

from minik8s_script import connect, emit

api = connect()
core = client.CoreV1Api(api)
ns, stop = sys.argv[2], sys.argv[3]

version = core.list_namespaced_pod(ns).metadata.resource_version
emit({"resourceVersion": version})
pods = watch.Watch()
last = version
for event in pods.stream(core.list_namespaced_pod, ns, resource_version=version, timeout_seconds=60):
    pod = event["object"]
    last = pod.metadata.resource_version
    emit({"type": event["type"], "name": pod.metadata.name, "resourceVersion": last,
          "labels": pod.metadata.labels, "phase": pod.status.phase if pod.status else None})
    if event["type"] == "DELETED" and pod.metadata.name == stop:
        pods.stop()

started = time.monotonic()
quiet = [e["type"] for e in watch.Watch().stream(core.list_namespaced_pod, ns, resource_version=last,
                                                  timeout_seconds=1)]
emit({"quietEvents": quiet, "quietSeconds": round(time.monotonic() - started, 1)})
