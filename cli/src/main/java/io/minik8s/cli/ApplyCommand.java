package io.minik8s.cli;

import com.google.protobuf.Message;
import io.minik8s.cli.apply.Applier;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.codec.Manifest;
import io.minik8s.client.codec.ManifestDecoder;
import io.minik8s.client.codec.ManifestEncoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mkctl apply -f}: creates or updates every object of the manifests (see {@link Applier}).
 *
 * <p>Order: Namespaces first, then the other objects in file order. A manifest that fails to decode
 * stops everything before anything is sent; a server error on one object is printed and the others
 * are still applied (exit status 1).
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Apply a configuration to resources from files, directories or stdin (-f -).")
final class ApplyCommand implements Callable<Integer> {
  @ParentCommand
  private Mkctl root;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
      description = "A manifest file, a directory of *.yaml/*.yml/*.json files, or - for stdin. Repeatable.")
  private List<String> files;

  @Override
  public Integer call() {
    CliContext context = root.context();
    List<Placed> objects = readAndPlace(root, files, "apply");
    if (objects == null) {
      return 1;
    }
    List<Placed> ordered = new ArrayList<>(objects);
    ordered.sort(Comparator.comparing(p -> p.manifest().kind() != Kinds.NAMESPACE));
    Applier applier = new Applier(root.client(), new ManifestDecoder(), new ManifestEncoder(),
        context.err()::println);
    int status = 0;
    for (Placed placed : ordered) {
      ResourceRef ref = ResourceRef.of(placed.object());
      try {
        Applier.Outcome outcome = applier.apply(placed.object());
        context.out().println(ref.slashed() + " " + outcome.word());
      } catch (Applier.Failure e) {
        context.err().println(ServerErrors.format(e.error(), root.server(), e.action(), placed.manifest().source()));
        status = 1;
      }
    }
    context.out().flush();
    return status;
  }

  /** An object ready to send, and the manifest it came from. */
  record Placed(Manifest manifest, Message object) {}

  /**
   * Reads every {@code -f} source and places each object in its namespace; on any problem prints
   * them all ({@code error: ...}) and returns null, so the caller sends nothing.
   */
  static List<Placed> readAndPlace(Mkctl root, List<String> files, String verb) {
    CliContext context = root.context();
    ManifestSources.Result read = new ManifestSources(context.in(), new ManifestDecoder()).read(files, verb);
    if (!read.ok()) {
      read.problems().forEach(p -> context.err().println("error: " + p));
      return null;
    }
    List<Placed> placed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Manifest manifest : read.manifests()) {
      try {
        placed.add(new Placed(manifest, ManifestNamespaces.place(manifest, root.namespace(), root.namespaceGiven())));
      } catch (UsageException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> context.err().println("error: " + p));
      return null;
    }
    return placed;
  }
}
