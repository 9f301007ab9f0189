/**
 * Kubernetes' REST API, so that the real {@code kubectl} and client-go work against minik8s.
 *
 * <p>In: HTTP/1.1 requests on {@code --http-port} (Netty: {@link io.minik8s.apiserver.rest.RestServer},
 * {@code RestServerInitializer}, {@code RestHandler}). {@code RestApi} routes them by {@code ApiPath}:
 * discovery ({@code /api}, {@code /apis}, {@code /api/v1}, {@code /apis/{g}/{v}}), {@code /version}, the
 * OpenAPI v3 documents that make kubectl validate on the server, and resources
 * ({@code ResourceEndpoints}: get, list, watch, create, update, patch, delete, and the status, scale and
 * binding subresources). Out: JSON objects, {@code XxxList}s, {@code meta.k8s.io/v1} Tables (the columns of
 * {@link io.minik8s.client.printers}), newline-delimited watch events, and {@code Status} errors with
 * Kubernetes' codes and reasons.
 *
 * <p>Nothing here decides API semantics: every verb is a call on
 * {@link io.minik8s.apiserver.service.ApiOperations}, the same one the gRPC API makes, and JSON goes through
 * the manifest codec ({@code ObjectJson}). What is REST-only: the wire format, patches
 * ({@link io.minik8s.apiserver.rest.patch}) applied before the usual update, and Tables.
 */
package io.minik8s.apiserver.rest;
