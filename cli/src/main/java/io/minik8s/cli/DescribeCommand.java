package io.minik8s.cli;

import com.google.protobuf.Message;
import io.minik8s.cli.describe.DescribeContext;
import io.minik8s.cli.describe.Describers;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mkctl describe TYPE [NAME_PREFIX...]}: kubectl-style descriptions. As kubectl, a name that
 * matches no object exactly describes every object whose name starts with it; no name describes
 * every object of the type (filtered by {@code -l}). Descriptions are separated by a blank line.
 */
@Command(name = "describe", mixinStandardHelpOptions = true, description = {
    "Show details of a resource or group of resources.",
    "Examples: mkctl describe pod web; mkctl describe nodes; mkctl describe deploy/web"})
final class DescribeCommand implements Callable<Integer> {
  @ParentCommand
  private Mkctl root;

  @Parameters(arity = "1..*", paramLabel = "TYPE [NAME_PREFIX...] | TYPE/NAME")
  private List<String> arguments;

  @Option(names = {"-A", "--all-namespaces"}, description = "Describe across all namespaces.")
  private boolean allNamespaces;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Label selector.")
  private String labelSelector;

  private record Request(Kind<?> kind, String name) {}

  @Override
  public Integer call() {
    CliContext context = root.context();
    ApiClient client = root.client();
    DescribeContext describeContext = new DescribeContext(client, context.clock());
    List<Message> objects = new ArrayList<>();
    int status = 0;
    for (Request request : requests()) {
      try {
        List<? extends Message> found = find(client, request);
        if (found.isEmpty()) {
          if (request.name() == null) {
            context.err().println(request.kind().namespaced() && !allNamespaces
                ? "No resources found in " + root.namespace() + " namespace." : "No resources found");
          } else {
            context.err().println(ServerErrors.format(ApiException.notFound(request.kind(), request.name()),
                root.server()));
            status = 1;
          }
        }
        objects.addAll(found);
      } catch (ApiException e) {
        context.err().println(ServerErrors.format(e, root.server()));
        status = 1;
      }
    }
    boolean first = true;
    for (Message object : objects) {
      if (!first) {
        context.out().print("\n\n");
      }
      first = false;
      context.out().print(Describers.describe(object, describeContext));
    }
    context.out().flush();
    return status;
  }

  private List<Request> requests() {
    List<Request> requests = new ArrayList<>();
    if (arguments.get(0).contains("/")) {
      for (String argument : arguments) {
        int slash = argument.indexOf('/');
        if (slash <= 0 || slash == argument.length() - 1) {
          throw new UsageException("arguments in resource/name form must have a single resource and name");
        }
        requests.add(new Request(KindNames.resolve(argument.substring(0, slash)), argument.substring(slash + 1)));
      }
      return requests;
    }
    for (Kind<?> kind : KindNames.resolveList(arguments.get(0))) {
      if (arguments.size() == 1) {
        requests.add(new Request(kind, null));
      }
      for (String name : arguments.subList(1, arguments.size())) {
        requests.add(new Request(kind, name));
      }
    }
    return requests;
  }

  /** The exact object, else the objects whose names start with the name; all of them without a name. */
  private List<? extends Message> find(ApiClient client, Request request) {
    Kind<?> kind = request.kind();
    String namespace = !kind.namespaced() || (allNamespaces && request.name() == null) ? "" : root.namespace();
    if (request.name() != null) {
      Optional<? extends Message> exact = client.find(kind, namespace, request.name());
      if (exact.isPresent()) {
        return List.of(exact.get());
      }
    }
    ListOptions options = ListOptions.inNamespace(namespace)
        .withLabelSelector(labelSelector == null ? "" : labelSelector);
    List<Message> matching = new ArrayList<>();
    for (Message object : client.list(kind, options).items()) {
      if (request.name() == null || kind.metadata(object).getName().startsWith(request.name())) {
        matching.add(object);
      }
    }
    return matching;
  }
}
