/**
 * Binding: {@link io.minik8s.scheduler.binder.Binder} turns a decision into the API call that sets
 * {@code spec.nodeName} ({@link io.minik8s.scheduler.binder.ApiServerBinder}: the pods/binding call).
 * The scheduling loop calls it on its binder threads, after assuming the pod in the cache.
 */
package io.minik8s.scheduler.binder;
