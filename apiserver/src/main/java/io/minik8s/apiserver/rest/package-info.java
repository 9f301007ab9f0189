/**
 * Kubernetes' REST API, so that the real {@code kubectl} and client-go work against minik8s.
 *
 * <p>In: HTTP/1.1 (or HTTPS) requests on {@code --http-port} (Netty: {@link io.minik8s.apiserver.rest.RestServer},
 * {@code RestServerInitializer}, {@code RestHandler}). {@code RestApi} routes them by {@code ApiPath}:
 * discovery ({@code /api}, {@code /apis}, {@code /api/v1}, {@code /apis/{g}/{v}}), {@code /version}, the
 * OpenAPI v3 documents that make kubectl leave field validation to the server, and resources
 * ({@code ResourceEndpoints}: get, list, watch, create, update, patch, delete, status;
 * {@code SubresourceEndpoints}: scale, binding, log; {@code ExecEndpoint}: exec as a WebSocket).
 * Out: JSON objects, {@code XxxList}s, {@code meta.k8s.io/v1} Tables (the columns of
 * {@link io.minik8s.client.printers}), newline-delimited watch events, streamed logs, channel messages for
 * exec, and {@code Status} errors with Kubernetes' codes, reasons and messages.
 *
 * <p>Nothing here decides API semantics: every verb is a call on
 * {@link io.minik8s.apiserver.service.ApiOperations}, the same one the gRPC API makes, and bodies go through
 * the manifest codec ({@code ObjectJson}), Kubernetes' protobuf encoding included ({@code KubernetesProtobuf}
 * turns it into that JSON first). What is REST-only: the wire formats, patches
 * ({@link io.minik8s.apiserver.rest.patch}) applied before the usual update, Tables, and a kubeconfig written
 * for kubectl ({@link io.minik8s.apiserver.rest.Kubeconfig}).
 */
package io.minik8s.apiserver.rest;
