/**
 * The controller-manager process: a {@link io.minik8s.controllermanager.ControllerRegistry registry}
 * of {@link io.minik8s.controllermanager.Controller controllers}, each one level-based
 * {@code reconcile(key)} fed by its own work queue, all sharing one informer factory and one API
 * client; {@code --controllers} picks which run, leader election over the Lease
 * {@code kube-system/minik8s-controller-manager} decides when.
 *
 * <p>Inputs: the API server's objects, through informers (list + watch). Outputs: creates, updates,
 * deletes and status updates through the API server, and core/v1 Events.
 */
package io.minik8s.controllermanager;
