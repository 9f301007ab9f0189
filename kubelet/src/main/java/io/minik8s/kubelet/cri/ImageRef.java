package io.minik8s.kubelet.cri;

import java.util.List;

/** An image present on the node: the runtime's id for it, the names and digests it is known by. */
public record ImageRef(String id, List<String> repoTags, List<String> repoDigests, long sizeBytes) {

  public ImageRef {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
  }
}
