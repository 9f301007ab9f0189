"""Requests that fail, with the HTTP status and Kubernetes' Status from each ApiException.
Arguments: KUBECONFIG NAMESPACE (which holds the pod "one")."""
import sys

from kubernetes import client

from minik8s_script import api_error, connect, emit

api = connect()
core = client.CoreV1Api(api)
apps = client.AppsV1Api(api)
ns = sys.argv[2]


def pod(name, **container):
    return client.V1Pod(metadata=client.V1ObjectMeta(name=name),
                        spec=client.V1PodSpec(containers=[client.V1Container(name="c", **container)]))


stale = core.read_namespaced_pod("one", ns)
core.patch_namespaced_pod("one", ns, {"metadata": {"labels": {"touched": "yes"}}})
emit({
    "notFound": api_error(lambda: core.read_namespaced_pod("nope", ns)),
    "scaleNotFound": api_error(lambda: apps.read_namespaced_deployment_scale("nope", ns)),
    "alreadyExists": api_error(lambda: core.create_namespaced_pod(ns, pod("one", image="i"))),
    "conflict": api_error(lambda: core.replace_namespaced_pod("one", ns, stale)),
    "invalid": api_error(lambda: core.create_namespaced_pod(ns, pod("Bad_Name"))),
    "unknownField": api_error(lambda: core.create_namespaced_pod(ns, {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "u"},
        "spec": {"containers": [{"name": "c", "image": "i", "colour": "red"}]}})),
    "badSelector": api_error(lambda: core.list_namespaced_pod(ns, label_selector="app in (")),
})
