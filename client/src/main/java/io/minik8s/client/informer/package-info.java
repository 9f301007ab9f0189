/**
 * Informers: a local, indexed, always-catching-up copy of the API objects a component cares about,
 * after client-go's {@code tools/cache}.
 *
 * <p>Inputs: a {@link io.minik8s.client.informer.ListerWatcher} (the API server, or a fake in tests).
 * An {@link io.minik8s.client.informer.Informer} lists once, then watches from the list's
 * {@code resourceVersion}; it re-lists when told the version has expired, and re-watches with back-off
 * after any other failure. Outputs: a thread-safe {@link io.minik8s.client.informer.Store} (read through
 * {@link io.minik8s.client.informer.Lister}) and calls to {@link
 * io.minik8s.client.informer.ResourceEventHandler}s, one thread per informer, in event order.
 *
 * <p>Guarantee: handlers are level-correct. After any failure and recovery the handlers have been told
 * of every difference between what they saw and what the server now holds (adds, updates, deletes),
 * never of the same version twice. Handlers should only enqueue keys: controllers read the store, not
 * the event. {@link io.minik8s.client.informer.InformerFactory} shares one informer per (kind, options)
 * among all controllers of a process.
 */
package io.minik8s.client.informer;
