package io.minik8s.controllermanager.ownership;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import io.minik8s.client.api.Kind;
import java.util.Optional;

/**
 * Controller references ({@code ownerReferences} entries with {@code controller: true}): the link from
 * a child object (a pod, a ReplicaSet) to the one controller that manages it. Stateless.
 */
public final class ControllerRefs {
  private ControllerRefs() {}

  /** The controller reference of an object, if it has one (Kubernetes allows at most one). */
  public static Optional<OwnerReference> controllerOf(ObjectMeta meta) {
    return meta.getOwnerReferencesList().stream().filter(OwnerReference::getController).findFirst();
  }

  /** Whether {@code meta} is controlled by the object with uid {@code ownerUid}. */
  public static boolean isControlledBy(ObjectMeta meta, String ownerUid) {
    return controllerOf(meta).map(r -> r.getUid().equals(ownerUid)).orElse(false);
  }

  /** A controller reference to {@code owner}, blocking its foreground deletion as Kubernetes' controllers set it. */
  public static OwnerReference to(Kind<?> kind, Message owner) {
    ObjectMeta m = kind.metadata(owner);
    return OwnerReference.newBuilder().setApiVersion(kind.apiVersion()).setKind(kind.kind()).setName(m.getName())
        .setUid(m.getUid()).setController(true).setBlockOwnerDeletion(true).build();
  }

  /** {@code meta} with {@code ref} added (adoption). */
  public static ObjectMeta withControllerRef(ObjectMeta meta, OwnerReference ref) {
    return meta.toBuilder().addOwnerReferences(ref).build();
  }

  /** {@code meta} without any owner reference to {@code ownerUid} (release). */
  public static ObjectMeta withoutOwner(ObjectMeta meta, String ownerUid) {
    ObjectMeta.Builder b = meta.toBuilder().clearOwnerReferences();
    meta.getOwnerReferencesList().stream().filter(r -> !r.getUid().equals(ownerUid)).forEach(b::addOwnerReferences);
    return b.build();
  }
}
