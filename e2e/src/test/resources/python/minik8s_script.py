"""What the scripts here share: Kubernetes' official Python client configured from the kubeconfig
given as the first argument, and the result printed as one JSON document (or one per line) on stdout.
A failure to read a response into the client's models raises, so the script exits non-zero."""
import json
import sys

from kubernetes import client, config


def connect():
    """The ApiClient of the kubeconfig in argv[1]; argv[2:] are the script's own arguments."""
    config.load_kube_config(config_file=sys.argv[1])
    return client.ApiClient()


def emit(result):
    print(json.dumps(result, sort_keys=True, default=str), flush=True)


def names(object_list):
    return [item.metadata.name for item in object_list.items]


def api_error(call):
    """Runs call, which must fail: its HTTP status and the Status Kubernetes sent in the body."""
    try:
        call()
    except client.exceptions.ApiException as e:
        body = json.loads(e.body)
        return {"status": e.status, "kind": body.get("kind"), "reason": body.get("reason"),
                "message": body.get("message"), "details": body.get("details")}
    raise AssertionError("the call succeeded")
