/**
 * The Endpoints controller: for every Service with a selector, keeps an Endpoints object of the same
 * name listing the IPs of the pods it selects.
 *
 * <p>Inputs: the shared Service, Pod and Endpoints informers. Output: creates, updates (only when the
 * content changed) and deletes of Endpoints. {@link io.minik8s.controllermanager.endpoints.EndpointsBuilder}
 * is the pure part (pods + service → subsets, as Kubernetes packs them); {@link
 * io.minik8s.controllermanager.endpoints.EndpointsController} is the reconcile around it.
 */
package io.minik8s.controllermanager.endpoints;
