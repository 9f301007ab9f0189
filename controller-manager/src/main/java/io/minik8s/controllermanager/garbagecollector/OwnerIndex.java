package io.minik8s.controllermanager.garbagecollector;

import com.google.protobuf.Message;
import io.minik8s.api.OwnerReference;
import io.minik8s.client.api.Kinds;
import java.util.List;
import java.util.function.Function;

/** The informer index from an owner's uid to the objects whose ownerReferences name it. */
public final class OwnerIndex {
  public static final String NAME = "metadata.ownerReferences.uid";

  private OwnerIndex() {}

  public static <T extends Message> Function<T, List<String>> function() {
    return o -> Kinds.of(o).metadata(o).getOwnerReferencesList().stream().map(OwnerReference::getUid).toList();
  }
}
