"""Reads every kind the server serves, and discovery and version, into the client's models (which
fail on a field of the wrong type, a missing required field or a timestamp they cannot parse).
Arguments: KUBECONFIG NAMESPACE (which holds the deployment "web")."""
import sys

from kubernetes import client

from minik8s_script import connect, emit

api = connect()
core = client.CoreV1Api(api)
apps = client.AppsV1Api(api)
ns = sys.argv[2]

pods = core.list_pod_for_all_namespaces()
replica_sets = apps.list_namespaced_replica_set(ns)
deployment = apps.read_namespaced_deployment_status("web", ns)
emit({
    "counts": {
        "namespaces": len(core.list_namespace().items),
        "nodes": len(core.list_node().items),
        "pods": len(pods.items),
        "services": len(core.list_service_for_all_namespaces().items),
        "endpoints": len(core.list_endpoints_for_all_namespaces().items),
        "events": len(core.list_event_for_all_namespaces().items),
        "deployments": len(apps.list_deployment_for_all_namespaces().items),
        "replicaSets": len(apps.list_replica_set_for_all_namespaces().items),
        "leases": len(client.CoordinationV1Api(api).list_lease_for_all_namespaces().items),
    },
    "replicaSetOwners": [[o.kind, o.name, o.controller] for rs in replica_sets.items
                         for o in rs.metadata.owner_references or []],
    "deploymentConditions": sorted(c.type for c in (deployment.status and deployment.status.conditions) or []),
    "podConditions": sorted({c.type for p in pods.items if p.status and p.status.conditions
                             for c in p.status.conditions}),
    "coreResources": [r.name for r in core.get_api_resources().resources],
    "groups": [g.name for g in client.ApisApi(api).get_api_versions().groups],
    "version": client.VersionApi(api).get_code().git_version,
    # Zero values that Kubernetes always writes and the models require.
    "replicaSetReplicas": [rs.status.replicas for rs in replica_sets.items if rs.status],
    "containerStatus": [[c.ready, c.restart_count, c.image_id, c.state.terminated.exit_code]
                        for c in core.read_namespaced_pod_status("one", ns).status.container_statuses],
    "nodeInfo": [[n.status.node_info.kubelet_version, n.status.node_info.boot_id,
                  n.status.daemon_endpoints.kubelet_endpoint.port] for n in core.list_node().items],
})
