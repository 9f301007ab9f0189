package io.minik8s.apiserver.rest.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import java.util.Arrays;
import java.util.Optional;

/** The PATCH formats served, by their Content-Type, and how each applies. */
public enum PatchType {
  JSON_PATCH("application/json-patch+json"),
  MERGE_PATCH("application/merge-patch+json"),
  STRATEGIC_MERGE_PATCH("application/strategic-merge-patch+json");

  private final String mediaType;

  PatchType(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** The format of a Content-Type (without parameters); empty for one not served (server-side apply too). */
  public static Optional<PatchType> of(String mediaType) {
    return Arrays.stream(values()).filter(t -> t.mediaType.equals(mediaType)).findFirst();
  }

  /**
   * Applies {@code patch} to {@code current}, an object of {@code type} as JSON.
   *
   * @throws PatchException when the patch is malformed or does not apply
   */
  public JsonNode apply(ObjectNode current, JsonNode patch, Descriptor type) {
    switch (this) {
      case JSON_PATCH:
        return JsonPatch.apply(current, patch);
      case MERGE_PATCH:
        return JsonMergePatch.apply(current, patch);
      default:
        return StrategicMergePatch.apply(current, patch, type);
    }
  }
}
