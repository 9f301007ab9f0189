/**
 * Where the API server keeps objects: etcd, and the watch cache in front of its watches.
 *
 * <ul>
 *   <li>{@link io.minik8s.apiserver.storage.Storage}: the key-value contract (revisions,
 *       compare-and-swap on a key's mod revision, prefix lists with paging, watches that resume).
 *       Keys and values are opaque bytes here.
 *   <li>{@link io.minik8s.apiserver.storage.EtcdStorage}: that contract on etcd v3 through jetcd; every
 *       call bounded by a timeout and timed ({@code etcd_request_duration_seconds{operation}}); every
 *       failure an {@link io.minik8s.client.api.ApiException}.
 *   <li>{@link io.minik8s.apiserver.storage.WatchCache}: one per kind; one storage watch in, many
 *       filtered watchers out, each with a bounded queue, replay from a window of recent changes,
 *       bookmarks, and a storage watch of its own for revisions older than the window.
 * </ul>
 *
 * <p>Words: a <em>revision</em> is etcd's store-wide counter, bumped by every write; an object's
 * {@code resourceVersion} is the revision that last wrote it (or deleted it, in a DELETED event).
 * <em>Compaction</em> drops etcd's history before a revision; asking for an older one is
 * <em>Expired</em> (HTTP 410), and the client lists again.
 *
 * <p>Inputs: etcd endpoints, key prefixes, decode functions. Outputs: entries, pages, revisions,
 * and watch events to {@link io.minik8s.apiserver.storage.WatchCache.Sink}s.
 */
package io.minik8s.apiserver.storage;
