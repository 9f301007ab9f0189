/**
 * The three patch formats of Kubernetes' PATCH verb, applied to an object's JSON tree:
 * {@link io.minik8s.apiserver.rest.patch.JsonPatch} (RFC 6902),
 * {@link io.minik8s.apiserver.rest.patch.JsonMergePatch} (RFC 7386) and
 * {@link io.minik8s.apiserver.rest.patch.StrategicMergePatch} with Kubernetes' merge keys per list field
 * ({@link io.minik8s.apiserver.rest.patch.PatchStrategy}). In: the current object as JSON, the patch, and
 * for the strategic form the object's protobuf descriptor; out: the patched JSON, which the REST layer
 * decodes and validates like any update. Pure functions; a patch that cannot apply is a
 * {@link io.minik8s.apiserver.rest.patch.PatchException}.
 */
package io.minik8s.apiserver.rest.patch;
