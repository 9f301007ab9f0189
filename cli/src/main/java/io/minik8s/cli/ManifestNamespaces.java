package io.minik8s.cli;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.Kind;
import io.minik8s.client.codec.Manifest;

/**
 * Gives each object from a manifest the namespace it will be sent to: its own, else the command's.
 * Cluster-scoped objects get none. As kubectl, an object whose own namespace differs from an
 * explicit {@code -n} is an error (before anything is sent).
 */
final class ManifestNamespaces {
  private ManifestNamespaces() {}

  static Message place(Manifest manifest, String namespace, boolean namespaceGiven) {
    Kind<?> kind = manifest.kind();
    Message object = manifest.object();
    ObjectMeta metadata = kind.metadata(object);
    if (!kind.namespaced()) {
      return metadata.getNamespace().isEmpty() ? object
          : kind.withMetadata(object, metadata.toBuilder().clearNamespace().build());
    }
    String own = metadata.getNamespace();
    if (own.isEmpty()) {
      return kind.withMetadata(object, metadata.toBuilder().setNamespace(namespace).build());
    }
    if (namespaceGiven && !own.equals(namespace)) {
      throw new UsageException("the namespace from the provided object \"" + own + "\" does not match the"
          + " namespace \"" + namespace + "\". You must pass '--namespace=" + own + "' to perform this operation.");
    }
    return object;
  }
}
