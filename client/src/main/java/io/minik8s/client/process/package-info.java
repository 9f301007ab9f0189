/**
 * What every minik8s {@code Main} shares: flags ({@link io.minik8s.client.process.CommonOptions}, a
 * picocli mixin), structured logging ({@link io.minik8s.client.process.Logging}: logfmt or JSON lines on
 * stderr) and the process lifecycle ({@link io.minik8s.client.process.ProcessLifecycle}: on SIGTERM or
 * SIGINT, close what was started, newest first, within a time limit).
 *
 * <p>The shape of a {@code Main}: parse flags → {@code configureLogging()} → build and start components,
 * registering each with the lifecycle → {@code awaitShutdown()}.
 */
package io.minik8s.client.process;
