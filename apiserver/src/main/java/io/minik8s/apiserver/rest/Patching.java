package io.minik8s.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.apiserver.rest.patch.PatchException;
import io.minik8s.apiserver.rest.patch.PatchType;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What a PATCH (of an object, its status or its scale) needs around the patch formats: the format from the
 * Content-Type, patch failures as Kubernetes' errors, and the read-change-write loop that makes a patch
 * safe against concurrent writers.
 */
final class Patching {
  /** Retries of a change whose object moved between the read and the write. */
  private static final int ATTEMPTS = 8;

  private Patching() {}

  /**
   * The patch format of a request; 415 for any other, and for server-side apply where it is not served
   * (subresources: the object itself is applied by {@link ServerSideApply}).
   */
  static PatchType type(RestRequest request) {
    if (ServerSideApply.requested(request)) {
      throw ApiException.of("UnsupportedMediaType", 415, "server-side apply (" + ServerSideApply.MEDIA_TYPE
          + ") is served for objects, not for their subresources - accepted media types here include: "
          + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json");
    }
    return PatchType.of(request.mediaType()).orElseThrow(() -> ApiException.of("UnsupportedMediaType", 415,
        "the body of the request was in an unknown format - accepted media types include: "
            + "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, "
            + ServerSideApply.MEDIA_TYPE));
  }

  /** Applies a patch; a malformed one is BadRequest, one that does not apply (a failed test) Invalid. */
  static JsonNode apply(PatchType type, ObjectNode current, JsonNode patch, Kind<?> kind) {
    try {
      return type.apply(current, patch, kind.descriptor());
    } catch (PatchException e) {
      throw e.malformed() ? ApiException.badRequest(e.getMessage())
          : ApiException.of(ApiException.INVALID, 422, e.getMessage());
    }
  }

  /**
   * Reads the object, changes it and writes it with the version read as precondition. A conflict means
   * someone wrote in between, and the change is applied again to the new version, unless the change itself
   * named a resourceVersion (then the conflict is the answer, as in Kubernetes).
   *
   * @param change the changed object; its resourceVersion left empty (or as read) means "the one read"
   * @return what {@code write} returned
   */
  static <T extends Message> T readChangeWrite(Kind<T> kind, Supplier<T> read, UnaryOperator<T> change,
      UnaryOperator<T> write) {
    for (int attempt = 1; ; attempt++) {
      T current = read.get();
      String currentVersion = kind.metadata(current).getResourceVersion();
      T object = change.apply(current);
      ObjectMeta meta = kind.metadata(object);
      boolean pinned = !meta.getResourceVersion().isEmpty() && !meta.getResourceVersion().equals(currentVersion);
      if (meta.getResourceVersion().isEmpty()) {
        object = kind.withMetadata(object, meta.toBuilder().setResourceVersion(currentVersion).build());
      }
      try {
        return write.apply(object);
      } catch (ApiException e) {
        if (!e.isConflict() || pinned || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
