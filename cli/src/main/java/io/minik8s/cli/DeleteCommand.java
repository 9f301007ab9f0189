package io.minik8s.cli;

import io.minik8s.client.process.GoDuration;

import com.google.protobuf.Message;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.DeleteOptions;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mkctl delete}: deletes objects named on the command line, in manifests (file order,
 * Namespaces last), or selected by labels; prints {@code pod "web" deleted} for each, then (with
 * {@code --wait}, the default) waits until every one of them is really gone.
 */
@Command(name = "delete", mixinStandardHelpOptions = true, description = {
    "Delete resources by type and names, by type/name, by manifests (-f) or by label selector.",
    "Examples: mkctl delete pod web db; mkctl delete deploy/web; mkctl delete -f app.yaml"})
final class DeleteCommand implements Callable<Integer> {
  @ParentCommand
  private Mkctl root;

  @Parameters(arity = "0..*", paramLabel = "TYPE NAME... | TYPE/NAME...")
  private List<String> arguments = new ArrayList<>();

  @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR|-", description = "Delete the objects of these manifests.")
  private List<String> files = new ArrayList<>();

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Delete the objects of TYPE with these labels.")
  private String labelSelector;

  @Option(names = "--all", description = "Delete every object of TYPE in the namespace.")
  private boolean all;

  @Option(names = "--grace-period", defaultValue = "-1", paramLabel = "SECONDS",
      description = "Seconds given to the object to terminate gracefully; -1: the object's own.")
  private long gracePeriod;

  @Option(names = "--now", description = "Immediate shutdown: same as --grace-period=1.")
  private boolean now;

  @Option(names = "--force", description = "With --grace-period=0: remove at once, without waiting for confirmation.")
  private boolean force;

  @Option(names = "--cascade", defaultValue = "background", arity = "0..1", fallbackValue = "background",
      paramLabel = "background|orphan|foreground", description = "What happens to dependents (default background).")
  private String cascade;

  @Option(names = "--wait", defaultValue = "true", arity = "0..1", fallbackValue = "true",
      description = "Wait until the objects are gone (default true).")
  private boolean waitForDeletion;

  @Option(names = "--timeout", defaultValue = "0s", paramLabel = "DURATION",
      description = "How long to wait for the deletion; 0 waits as long as needed.")
  private String timeout;

  @Option(names = "--ignore-not-found", description = "A missing object is not an error.")
  private boolean ignoreNotFound;

  private record Target(Kind<?> kind, String namespace, String name) {}

  private record Deleted(Target target, String uid) {}

  @Override
  public Integer call() throws InterruptedException {
    CliContext context = root.context();
    DeleteOptions options = new DeleteOptions(gracePeriod(), propagationPolicy(), null);
    Duration waitLimit;
    try {
      waitLimit = GoDuration.parse(timeout);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    List<Target> targets = targets();
    if (targets == null) {
      return 1;
    }
    if (options.gracePeriodSeconds() != null && options.gracePeriodSeconds() == 0) {
      context.err().println("Warning: Immediate deletion does not wait for confirmation that the running resource"
          + " has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    ApiClient client = root.client();
    int status = 0;
    List<Deleted> deleted = new ArrayList<>();
    for (Target target : targets) {
      try {
        Message last = client.delete(target.kind(), target.namespace(), target.name(), options);
        deleted.add(new Deleted(target, target.kind().metadata(last).getUid()));
        context.out().println(new ResourceRef(target.kind(), target.name()).quoted() + " deleted");
        context.out().flush();
      } catch (ApiException e) {
        if (e.isNotFound() && ignoreNotFound) {
          continue;
        }
        context.err().println(ServerErrors.format(e, root.server()));
        status = 1;
      }
    }
    if (waitForDeletion) {
      DeletionWaiter waiter = new DeletionWaiter(client);
      for (Deleted d : deleted) {
        Target t = d.target();
        try {
          if (!waiter.awaitGone(t.kind(), t.namespace(), t.name(), d.uid(), waitLimit)) {
            context.err().println("error: timed out waiting for the condition on " + t.kind().resource() + "/" + t.name());
            status = 1;
          }
        } catch (ApiException e) {
          context.err().println(ServerErrors.format(e, root.server()));
          status = 1;
        }
      }
    }
    return status;
  }

  /** What to delete, in command-line order; null after printing the problems when the input is bad. */
  private List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    if (!files.isEmpty()) {
      if (!arguments.isEmpty()) {
        throw new UsageException("cannot specify both a manifest (-f) and resource names");
      }
      List<ApplyCommand.Placed> placed = ApplyCommand.readAndPlace(root, files, "delete");
      if (placed == null) {
        return null;
      }
      for (ApplyCommand.Placed p : placed) {
        Kind<?> kind = p.manifest().kind();
        targets.add(new Target(kind, kind.metadata(p.object()).getNamespace(), kind.metadata(p.object()).getName()));
      }
      // Namespaces last (apply creates them first): deleting one first would take its objects
      // with it and turn their own deletions into NotFound errors.
      targets.sort(Comparator.comparing(t -> t.kind() == Kinds.NAMESPACE));
      return targets;
    }
    if (arguments.isEmpty()) {
      throw new UsageException("You must provide one or more resources by argument or filename.");
    }
    if (arguments.get(0).contains("/")) {
      for (String argument : arguments) {
        int slash = argument.indexOf('/');
        if (slash <= 0 || slash == argument.length() - 1) {
          throw new UsageException("arguments in resource/name form must have a single resource and name");
        }
        Kind<?> kind = KindNames.resolve(argument.substring(0, slash));
        targets.add(new Target(kind, namespaceFor(kind), argument.substring(slash + 1)));
      }
      return targets;
    }
    List<Kind<?>> kinds = KindNames.resolveList(arguments.get(0));
    List<String> names = arguments.subList(1, arguments.size());
    boolean bySelector = all || (labelSelector != null && !labelSelector.isBlank());
    if (names.isEmpty() && !bySelector) {
      throw new UsageException("resource(s) were provided, but no name was specified");
    }
    if (!names.isEmpty() && bySelector) {
      throw new UsageException("names cannot be provided when a selector or --all is specified");
    }
    for (Kind<?> kind : kinds) {
      if (bySelector) {
        ListOptions list = ListOptions.inNamespace(namespaceFor(kind))
            .withLabelSelector(labelSelector == null ? "" : labelSelector);
        for (Message object : root.client().list(kind, list).items()) {
          targets.add(new Target(kind, namespaceFor(kind), kind.metadata(object).getName()));
        }
      } else {
        for (String name : names) {
          targets.add(new Target(kind, namespaceFor(kind), name));
        }
      }
    }
    if (targets.isEmpty()) {
      root.context().err().println("No resources found");
    }
    return targets;
  }

  private String namespaceFor(Kind<?> kind) {
    return kind.namespaced() ? root.namespace() : "";
  }

  private Long gracePeriod() {
    if (now && gracePeriod >= 0) {
      throw new UsageException("--now and --grace-period cannot be specified together");
    }
    if (now) {
      return 1L;
    }
    if (force && gracePeriod < 0) {
      return 0L;
    }
    if (gracePeriod == 0 && !force) {
      // As kubectl: zero means "as soon as possible" only with --force; otherwise the shortest grace.
      return 1L;
    }
    return gracePeriod < 0 ? null : gracePeriod;
  }

  private String propagationPolicy() {
    switch (cascade.toLowerCase(Locale.ROOT)) {
      case "background":
      case "true":
        return "Background";
      case "foreground":
        return "Foreground";
      case "orphan":
      case "false":
        return "Orphan";
      default:
        throw new UsageException("invalid cascade value (" + cascade + "). Must be \"background\", \"foreground\","
            + " or \"orphan\"");
    }
  }
}
