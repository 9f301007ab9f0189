package io.minik8s.cli;

import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mkctl create -f}: creates every object of the manifests; one that exists already is an
 * error (AlreadyExists) and the others are still created. Namespaces first, then file order.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Create resources from files, directories or stdin (-f -).")
final class CreateCommand implements Callable<Integer> {
  @ParentCommand
  private Mkctl root;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
      description = "A manifest file, a directory of *.yaml/*.yml/*.json files, or - for stdin. Repeatable.")
  private List<String> files;

  @Override
  public Integer call() {
    CliContext context = root.context();
    List<ApplyCommand.Placed> objects = ApplyCommand.readAndPlace(root, files, "create");
    if (objects == null) {
      return 1;
    }
    List<ApplyCommand.Placed> ordered = new ArrayList<>(objects);
    ordered.sort(Comparator.comparing(p -> p.manifest().kind() != Kinds.NAMESPACE));
    int status = 0;
    for (ApplyCommand.Placed placed : ordered) {
      try {
        root.client().create(placed.object());
        context.out().println(ResourceRef.of(placed.object()).slashed() + " created");
      } catch (ApiException e) {
        context.err().println(ServerErrors.format(e, root.server(), "creating", placed.manifest().source()));
        status = 1;
      }
    }
    context.out().flush();
    return status;
  }
}
