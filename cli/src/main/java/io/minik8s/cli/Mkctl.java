package io.minik8s.cli;

import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * mkctl, minik8s' kubectl: the root command, its global options and the entry point.
 *
 * <p>Global options ({@code --server}, {@code -n}) are inherited, so they may be written before or
 * after the subcommand. The API client is opened on first use and closed when the command ends, so
 * commands that need no server ({@code --help}, {@code version --client}) never open a connection.
 *
 * <p>Exit status: 0 on success, 1 on any error (usage, manifest or server), as kubectl.
 */
@Command(name = "mkctl", mixinStandardHelpOptions = true, versionProvider = Mkctl.Version.class,
    description = "mkctl controls the minik8s cluster.",
    subcommands = {ApplyCommand.class, CreateCommand.class, GetCommand.class, DescribeCommand.class,
        DeleteCommand.class, VersionCommand.class, LogsCommand.class, ScaleCommand.class, RolloutCommand.class})
public final class Mkctl implements Callable<Integer> {
  /** The client's version, printed by {@code mkctl version}. */
  public static final String VERSION = "v0.1.0";
  public static final String DEFAULT_SERVER = "127.0.0.1:6443";
  public static final String SERVER_ENV = "MINIK8S_SERVER";
  public static final String DEFAULT_NAMESPACE = "default";

  @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
      description = "The API server's address, or several as HOST:PORT,HOST:PORT (default: $MINIK8S_SERVER, else " + DEFAULT_SERVER + ").")
  private String server;

  @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NAMESPACE",
      description = "The namespace of this request (default: " + DEFAULT_NAMESPACE + ").")
  private String namespace;

  private final CliContext context;
  private ApiClient client;

  public Mkctl(CliContext context) {
    this.context = context;
  }

  public static void main(String[] args) {
    System.exit(run(CliContext.system(), args));
  }

  /** Runs one command line; returns the exit status. */
  public static int run(CliContext context, String... args) {
    Mkctl root = new Mkctl(context);
    CommandLine commandLine = new CommandLine(root);
    commandLine.setOut(new PrintWriter(context.out(), true));
    commandLine.setErr(new PrintWriter(context.err(), true));
    commandLine.setParameterExceptionHandler((ex, arguments) -> {
      context.err().println("error: " + ex.getMessage());
      context.err().println("See '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
      return 1;
    });
    commandLine.setExecutionExceptionHandler((ex, cl, parsed) -> {
      if (ex instanceof UsageException) {
        context.err().println("error: " + ex.getMessage());
      } else if (ex instanceof ApiException) {
        context.err().println(ServerErrors.format((ApiException) ex, root.server()));
      } else {
        context.err().println("error: " + ex);
      }
      return 1;
    });
    try {
      return commandLine.execute(args);
    } finally {
      root.closeClient();
    }
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, context.out());
    return 0;
  }

  public CliContext context() {
    return context;
  }

  /** {@code --server}, else {@code $MINIK8S_SERVER}, else {@value #DEFAULT_SERVER}. */
  public String server() {
    if (server != null && !server.isBlank()) {
      return server;
    }
    String fromEnv = context.env().get(SERVER_ENV);
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT_SERVER;
  }

  /** {@code -n}, else {@value #DEFAULT_NAMESPACE}. */
  public String namespace() {
    return namespaceGiven() ? namespace : DEFAULT_NAMESPACE;
  }

  /** Whether {@code -n} was written: a manifest's own namespace must then agree with it. */
  public boolean namespaceGiven() {
    return namespace != null && !namespace.isEmpty();
  }

  /** The client, connected on first use. */
  public synchronized ApiClient client() {
    if (client == null) {
      client = context.connector().apply(server());
    }
    return client;
  }

  private synchronized void closeClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  /** {@code mkctl --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Client Version: " + VERSION};
    }
  }
}
