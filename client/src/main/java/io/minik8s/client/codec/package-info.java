/**
 * Kubernetes manifests (YAML or JSON) to API objects and back, driven by the protobuf descriptors:
 * one generic walker, no per-kind code.
 *
 * <p>In: text with one or more {@code ---} separated documents ({@link ManifestDecoder}). Out:
 * {@link Manifest}s (kind, object, source, document, line), or one {@link ManifestException} listing
 * every {@link ManifestProblem} with file, line, document and Kubernetes field path
 * ({@code spec.template.spec.containers[0].ports[1].containerPort}, {@code metadata.labels[app]}).
 * {@link ManifestEncoder} writes objects back as JSON, YAML or plain maps, the way kubectl prints them.
 *
 * <p>Mapping rules, shared by both directions:
 * <ul>
 *   <li>Keys are the fields' protobuf JSON names (the .proto files set {@code json_name} where
 *       Kubernetes spells a field differently: {@code podIP}, {@code clusterIP}). Top-level
 *       {@code apiVersion} and {@code kind} select the {@link io.minik8s.client.api.Kind} and are not fields.
 *   <li>Scalars are typed strictly, as Kubernetes does: {@code replicas: "3"} is an error, and so is
 *       {@code version: 1} in a {@code map<string,string>}, except in quantity maps (resource
 *       limits/requests, node capacity/allocatable), where Kubernetes takes {@code cpu: 1}.
 *       A YAML null leaves a field unset.
 *   <li>{@code minik8s.api.IntOrString} is a bare number or string; {@code google.protobuf.Timestamp}
 *       an RFC 3339 string, written in UTC with seconds, or microseconds when it has a fraction.
 *   <li>proto3 {@code optional} fields keep presence: {@code replicas: 0} is written and read back as set.
 *   <li>A key that names no field is "unknown field"; one that is Kubernetes' spelling of a name the
 *       message {@code reserved}s ({@code volumeMounts} for {@code volume_mounts}) is
 *       "not supported by minik8s".
 * </ul>
 *
 * <p>{@link Quantity} parses and formats resource quantities ({@code 250m}, {@code 64Mi}); the
 * codec keeps them as strings and leaves checking them to validation.
 */
package io.minik8s.client.codec;
