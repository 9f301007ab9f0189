/**
 * mkctl, minik8s' kubectl: {@link io.minik8s.cli.Mkctl} (the root command and entry point) and one
 * class per command ({@code ApplyCommand}, {@code CreateCommand}, {@code GetCommand},
 * {@code DescribeCommand}, {@code DeleteCommand}, {@code VersionCommand}).
 *
 * <p>Inputs: the command line, manifests (files, directories, stdin) and the API server over gRPC
 * ({@link io.minik8s.client.api.ApiClient}). Outputs: kubectl's formats on the injected streams of a
 * {@link io.minik8s.cli.CliContext}, and an exit status (0 ok, 1 any error). Names follow kubectl:
 * a "resource" is the plural name used in requests ({@code pods}); objects are shown as
 * {@code <resource>[.<group>]/<name>} ({@link io.minik8s.cli.ResourceRef}).
 */
package io.minik8s.cli;
