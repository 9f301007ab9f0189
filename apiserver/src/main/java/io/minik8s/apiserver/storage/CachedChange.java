package io.minik8s.apiserver.storage;

import com.google.protobuf.Message;

/**
 * One change as the watch cache keeps it, before any watcher's filter is applied.
 *
 * @param key the etcd key
 * @param revision the revision of the change
 * @param object the object after the change, its resourceVersion set to {@code revision}; for a
 *     deletion, the last state of the object with the deletion's revision as resourceVersion
 * @param previous the object before the change, null when it did not exist (or is unknown, as for
 *     the synthetic "added" of an initial listing)
 * @param deleted whether the change removed the key
 * @param encodings the encodings of this change's events, shared by the watchers that receive them
 */
record CachedChange(String key, long revision, Message object, Message previous, boolean deleted,
    SharedEncodings encodings) {

  CachedChange(String key, long revision, Message object, Message previous, boolean deleted) {
    this(key, revision, object, previous, deleted, new SharedEncodings());
  }
}
