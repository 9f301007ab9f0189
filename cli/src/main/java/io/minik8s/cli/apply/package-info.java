/**
 * {@code mkctl apply}'s logic apart from the command line: {@link io.minik8s.cli.apply.ThreeWayMerge}
 * (pure, on JSON-like maps) and {@link io.minik8s.cli.apply.Applier} (create or merge-and-update one
 * decoded object through the API, remembering the configuration in the
 * {@code kubectl.kubernetes.io/last-applied-configuration} annotation).
 */
package io.minik8s.cli.apply;
