package io.minik8s.cli;

import io.minik8s.client.api.ApiClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything a command touches outside itself: its streams, its environment, the clock ages are
 * measured against and the way to reach an API server. Production uses {@link #system()}; tests pass
 * captured streams, a fixed clock and an in-process channel.
 *
 * @param out where results go (tables, objects, {@code pod/web created})
 * @param err where errors and warnings go
 * @param in what {@code -f -} reads
 * @param env the environment ({@code MINIK8S_SERVER})
 * @param clock the time AGE columns and describe's timestamps are computed against (and its zone)
 * @param connector opens a client for a {@code host:port}; called at most once per invocation
 */
public record CliContext(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Clock clock,
    Function<String, ApiClient> connector) {

  public static CliContext system() {
    return new CliContext(System.out, System.err, System.in, System.getenv(), Clock.systemDefaultZone(),
        ApiClient::connect);
  }
}
