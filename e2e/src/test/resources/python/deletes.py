"""Deletes one pod at a time with grace and propagation options (as query parameters and as a
DeleteOptions body), pods by label and field selector with deletecollection, and a deployment.
Arguments: KUBECONFIG NAMESPACE."""
import sys

from kubernetes import client

from minik8s_script import connect, emit, names

api = connect()
core = client.CoreV1Api(api)
apps = client.AppsV1Api(api)
ns = sys.argv[2]
out = {}

for name, app in [("sweep-1", "sweep"), ("sweep-2", "sweep"), ("keep", "keep"), ("by-name", "keep"),
                  ("by-query", "keep"), ("by-body", "keep")]:
    core.create_namespaced_pod(ns, client.V1Pod(
        metadata=client.V1ObjectMeta(name=name, labels={"app": app}),
        spec=client.V1PodSpec(containers=[client.V1Container(name="c", image="localhost/busybox:latest")])))

by_query = core.delete_namespaced_pod("by-query", ns, grace_period_seconds=0, propagation_policy="Background")
out["byQuery"] = {"kind": by_query.kind, "name": by_query.metadata.name}
by_body = core.delete_namespaced_pod("by-body", ns, body=client.V1DeleteOptions(
    grace_period_seconds=0, propagation_policy="Foreground",
    preconditions=client.V1Preconditions(uid=core.read_namespaced_pod("by-body", ns).metadata.uid)))
out["byBody"] = {"kind": by_body.kind, "name": by_body.metadata.name}

swept = core.delete_collection_namespaced_pod(ns, label_selector="app=sweep")
out["byLabel"] = {"kind": swept.kind, "resourceVersionSet": bool(swept.metadata.resource_version)}
out["afterLabel"] = names(core.list_namespaced_pod(ns))
core.delete_collection_namespaced_pod(ns, field_selector="metadata.name=by-name", grace_period_seconds=0,
                                      propagation_policy="Background")
out["afterField"] = names(core.list_namespaced_pod(ns))

gone = apps.delete_namespaced_deployment("web", ns, propagation_policy="Background")
out["deployment"] = {"kind": gone.kind, "status": gone.status, "name": gone.details.name,
                     "group": gone.details.group, "resource": gone.details.kind}
emit(out)
