/**
 * The API's operations independent of the wire ({@link io.minik8s.apiserver.service.ApiOperations}):
 * create, get, list, update, delete, bind and watch of any kind, with the server-side filter of lists and
 * watches ({@link io.minik8s.apiserver.service.ObjectFilter}). In: typed objects and request parameters;
 * out: typed objects, list pages and watchers, or an {@link io.minik8s.client.api.ApiException}. The gRPC
 * service and the REST API are thin translations on top.
 */
package io.minik8s.apiserver.service;
