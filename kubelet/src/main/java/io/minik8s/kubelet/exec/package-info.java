/**
 * Running a command in a container for {@code kubectl exec}: {@link io.minik8s.kubelet.exec.ExecHandler} answers
 * {@code POST /exec/{namespace}/{pod}/{container}} (JSON {@code {"command": [...], "timeoutSeconds": n}}) on the
 * kubelet's HTTP server with {@code {"exitCode": n, "stdout": "<base64>", "stderr": "<base64>"}}, or with an error
 * status and {@code {"message": "..."}}. {@link io.minik8s.kubelet.exec.RuntimeContainerExec} finds the container
 * by the labels the kubelet puts on it and runs the command with the CRI's {@code ExecSync} (no standard input,
 * no terminal).
 */
package io.minik8s.kubelet.exec;
