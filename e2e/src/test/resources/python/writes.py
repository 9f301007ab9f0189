"""Creates, lists and patches through the typed APIs: namespaces, pods, a deployment patched in each
of the three patch formats, and its scale subresource. Arguments: KUBECONFIG NAMESPACE."""
import sys

from kubernetes import client

from minik8s_script import connect, emit, names

api = connect()
core = client.CoreV1Api(api)
apps = client.AppsV1Api(api)
ns = sys.argv[2]
out = {}

core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
out["namespaces"] = names(core.list_namespace())
for name, app in [("one", "py"), ("two", "py"), ("three", "other")]:
    created = core.create_namespaced_pod(ns, client.V1Pod(
        metadata=client.V1ObjectMeta(name=name, labels={"app": app}),
        spec=client.V1PodSpec(containers=[client.V1Container(
            name="c", image="localhost/busybox:latest", command=["sleep", "3600"],
            ports=[client.V1ContainerPort(container_port=8080, name="http")],
            resources=client.V1ResourceRequirements(requests={"cpu": "100m", "memory": "64Mi"}))])))
    out.setdefault("createdPodUids", []).append(created.metadata.uid)
out["podsLabelledPy"] = names(core.list_namespaced_pod(ns, label_selector="app=py"))
out["podsNotPy"] = names(core.list_namespaced_pod(ns, label_selector="app!=py"))
out["podByField"] = names(core.list_namespaced_pod(ns, field_selector="metadata.name=two"))
pod = core.read_namespaced_pod("one", ns)
out["podCreationTimestampYear"] = pod.metadata.creation_timestamp.year
out["podCpuRequest"] = pod.spec.containers[0].resources.requests["cpu"]

labels = {"app": "web"}
deployment = client.V1Deployment(
    metadata=client.V1ObjectMeta(name="web", labels=labels),
    spec=client.V1DeploymentSpec(
        replicas=1,
        selector=client.V1LabelSelector(match_labels=labels),
        template=client.V1PodTemplateSpec(
            metadata=client.V1ObjectMeta(labels=labels),
            spec=client.V1PodSpec(containers=[
                client.V1Container(name="a", image="a:1", env=[client.V1EnvVar(name="X", value="1")]),
                client.V1Container(name="b", image="b:1")]))))
out["deploymentGeneration"] = apps.create_namespaced_deployment(ns, deployment).metadata.generation

# A dict body: the client sends application/strategic-merge-patch+json, so containers merge by name.
smp = apps.patch_namespaced_deployment("web", ns, {"spec": {"template": {"spec": {"containers": [
    {"name": "b", "image": "b:2"}, {"name": "a", "env": [{"name": "Y", "value": "2"}]}]}}}})
out["smpImages"] = [c.image for c in smp.spec.template.spec.containers]
out["smpEnv"] = [e.name for e in smp.spec.template.spec.containers[0].env]

# A list body: application/json-patch+json.
json_patch = apps.patch_namespaced_deployment("web", ns, [
    {"op": "replace", "path": "/spec/replicas", "value": 2}])
out["jsonPatchReplicas"] = json_patch.spec.replicas

# This client version picks no merge patch by itself: the Content-Type is given explicitly.
merged, status, _ = api.call_api(
    "/apis/apps/v1/namespaces/{namespace}/deployments/{name}", "PATCH",
    path_params={"namespace": ns, "name": "web"},
    header_params={"Content-Type": "application/merge-patch+json", "Accept": "application/json"},
    body={"metadata": {"labels": {"tier": "front"}}, "spec": {"template": {"spec": {"containers": [
        {"name": "only", "image": "only:1"}]}}}},
    response_type="V1Deployment", auth_settings=["BearerToken"], _return_http_data_only=False)
out["mergePatchStatus"] = status
out["mergePatchLabels"] = merged.metadata.labels
out["mergePatchImages"] = [c.image for c in merged.spec.template.spec.containers]

scale = apps.read_namespaced_deployment_scale("web", ns)
out["scaleBefore"] = {"kind": scale.kind, "apiVersion": scale.api_version, "replicas": scale.spec.replicas,
                      "selector": scale.status.selector}
out["scaleAfter"] = apps.patch_namespaced_deployment_scale("web", ns, {"spec": {"replicas": 3}}).spec.replicas
out["replaceScale"] = apps.replace_namespaced_deployment_scale("web", ns, client.V1Scale(
    metadata=client.V1ObjectMeta(name="web", namespace=ns), spec=client.V1ScaleSpec(replicas=4))).spec.replicas

final = apps.read_namespaced_deployment("web", ns)
out["final"] = {"replicas": final.spec.replicas, "generation": final.metadata.generation,
                "labels": final.metadata.labels}
emit(out)
