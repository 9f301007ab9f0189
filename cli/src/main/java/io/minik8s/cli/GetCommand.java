package io.minik8s.cli;

import com.google.protobuf.Message;
import io.minik8s.client.printers.TablePrinters;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiClient.ListResult;
import io.minik8s.client.api.ApiClient.WatchEventType;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.codec.ManifestEncoder;
import io.minik8s.client.selector.LabelSelector;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mkctl get}: lists or reads objects and prints them as kubectl does; with {@code -w}, keeps
 * printing one row per change until interrupted.
 */
@Command(name = "get", mixinStandardHelpOptions = true, description = {
    "Display one or many resources.",
    "Examples: mkctl get pods; mkctl get pods,svc -A; mkctl get deploy web -o yaml; mkctl get pod/web node/n1"})
final class GetCommand implements Callable<Integer> {
  @ParentCommand
  private Mkctl root;

  @Parameters(arity = "1..*", paramLabel = "TYPE[,TYPE...] [NAME...] | TYPE/NAME...",
      description = "What to get: pods, deploy, svc, ns, no, rs, ep, ev, leases, ...")
  private List<String> arguments;

  @Option(names = {"-A", "--all-namespaces"}, description = "List across all namespaces.")
  private boolean allNamespaces;

  @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Label selector, e.g. app=web,tier!=db.")
  private String labelSelector;

  @Option(names = "--field-selector", paramLabel = "SELECTOR", description = "Field selector, e.g. spec.nodeName=n1.")
  private String fieldSelector;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "wide, yaml, json or name.")
  private String output;

  @Option(names = {"-w", "--watch"}, description = "After listing, watch for changes.")
  private boolean watch;

  @Option(names = "--no-headers", description = "Print tables without their header.")
  private boolean noHeaders;

  @Option(names = "--show-labels", description = "Add a LABELS column.")
  private boolean showLabels;

  /** One type of the command line and the names asked for (none: list them all). */
  private record Query(Kind<?> kind, List<String> names) {}

  @Override
  public Integer call() throws InterruptedException {
    OutputFormat format = OutputFormat.parse(output);
    List<Query> queries = queries();
    if (labelSelector != null && !labelSelector.isBlank()) {
      try {
        LabelSelector.parse(labelSelector);
      } catch (IllegalArgumentException e) {
        throw new UsageException("invalid label selector \"" + labelSelector + "\": " + e.getMessage());
      }
    }
    if (watch) {
      if (queries.size() != 1 || queries.get(0).names().size() > 1) {
        throw new UsageException("you may only specify a single resource type and at most one name with --watch");
      }
      return watch(queries.get(0), format);
    }
    return print(queries, format);
  }

  private List<Query> queries() {
    Map<Kind<?>, List<String>> byKind = new LinkedHashMap<>();
    if (arguments.get(0).contains("/")) {
      for (String argument : arguments) {
        int slash = argument.indexOf('/');
        if (slash <= 0 || slash == argument.length() - 1) {
          throw new UsageException("arguments in resource/name form must have a single resource and name");
        }
        byKind.computeIfAbsent(KindNames.resolve(argument.substring(0, slash)), k -> new ArrayList<>())
            .add(argument.substring(slash + 1));
      }
    } else {
      List<String> names = arguments.subList(1, arguments.size());
      for (String name : names) {
        if (name.contains("/")) {
          throw new UsageException("there is no need to specify a resource type as a separate argument when"
              + " passing arguments in resource/name form (e.g. 'mkctl get resource/<resource_name>' instead of"
              + " 'mkctl get resource resource/<resource_name>'");
        }
      }
      for (Kind<?> kind : KindNames.resolveList(arguments.get(0))) {
        byKind.put(kind, new ArrayList<>(names));
      }
    }
    List<Query> queries = new ArrayList<>();
    byKind.forEach((kind, names) -> queries.add(new Query(kind, names)));
    return queries;
  }

  private String namespaceFor(Kind<?> kind) {
    return !kind.namespaced() || allNamespaces ? "" : root.namespace();
  }

  private ListOptions listOptions(Kind<?> kind) {
    return ListOptions.inNamespace(namespaceFor(kind)).withLabelSelector(nz(labelSelector))
        .withFieldSelector(nz(fieldSelector));
  }

  // ------------------------------------------------------------------ one-shot

  private int print(List<Query> queries, OutputFormat format) {
    CliContext context = root.context();
    PrintStream out = context.out();
    int status = 0;
    List<Message> all = new ArrayList<>();
    boolean printedTable = false;
    for (Query query : queries) {
      List<Message> objects = new ArrayList<>();
      try {
        status |= fetch(query, objects);
      } catch (ApiException e) {
        context.err().println(ServerErrors.format(e, root.server()));
        status = 1;
        continue;
      }
      all.addAll(objects);
      if (format.isTable() && !objects.isEmpty()) {
        if (printedTable) {
          out.println();
        }
        printTable(query.kind(), objects, format, queries.size() > 1, out);
        printedTable = true;
      }
    }
    if (format == OutputFormat.YAML || format == OutputFormat.JSON) {
      ObjectWriter writer = new ObjectWriter(new ManifestEncoder(), out);
      boolean singleRequested = queries.size() == 1 && queries.get(0).names().size() == 1;
      if (singleRequested && all.size() == 1) {
        writer.one(all.get(0), format);
      } else if (!(singleRequested && all.isEmpty())) {
        writer.list(all, format);
      }
    } else if (format == OutputFormat.NAME) {
      new ObjectWriter(new ManifestEncoder(), out).list(all, format);
    } else if (all.isEmpty() && status == 0) {
      context.err().println(noResourcesMessage(queries));
    }
    out.flush();
    return status;
  }

  /** Lists the query's kind, or gets each of its names (a missing one is reported and skipped). */
  private int fetch(Query query, List<Message> into) {
    ApiClient client = root.client();
    if (query.names().isEmpty()) {
      into.addAll(client.list(query.kind(), listOptions(query.kind())).items());
      return 0;
    }
    int status = 0;
    for (String name : query.names()) {
      try {
        into.add(client.get(query.kind(), namespaceFor(query.kind()), name));
      } catch (ApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        root.context().err().println(ServerErrors.format(e, root.server()));
        status = 1;
      }
    }
    return status;
  }

  @SuppressWarnings("unchecked")
  private <T extends Message> void printTable(Kind<T> kind, List<Message> objects, OutputFormat format,
      boolean withKind, PrintStream out) {
    tableFor(kind, format, withKind, out).print((List<T>) (List<?>) objects);
  }

  private <T extends Message> TableOutput<T> tableFor(Kind<T> kind, OutputFormat format, boolean withKind,
      PrintStream out) {
    TableOutput.Options options = new TableOutput.Options(format == OutputFormat.WIDE,
        allNamespaces && kind.namespaced(), withKind, showLabels, !noHeaders);
    return new TableOutput<>(kind, TablePrinters.forKind(kind, root.context().clock()), options, out);
  }

  private String noResourcesMessage(List<Query> queries) {
    boolean namespaced = queries.stream().anyMatch(q -> q.kind().namespaced());
    return namespaced && !allNamespaces
        ? "No resources found in " + root.namespace() + " namespace."
        : "No resources found";
  }

  // ------------------------------------------------------------------ watch

  /** What the watch thread hands to the printing thread: an event, or the end of the stream. */
  private record Item(WatchEventType type, Message object, boolean closed, ApiException error) {}

  /**
   * Lists, prints, then prints every change from the list's resourceVersion on. Events are handed
   * from gRPC's thread to this one through a queue, so all printing happens here, in event order.
   * An expired watch re-lists (printing the objects that changed meanwhile); a stream the server
   * ended is resumed from the last version seen. Returns when interrupted.
   */
  private <T extends Message> int watch(Query query, OutputFormat format) {
    @SuppressWarnings("unchecked")
    Kind<T> kind = (Kind<T>) query.kind();
    CliContext context = root.context();
    ApiClient client = root.client();
    ListOptions options = listOptions(kind);
    if (query.names().size() == 1) {
      String byName = "metadata.name=" + query.names().get(0);
      options = options.withFieldSelector(options.fieldSelector().isEmpty() ? byName
          : options.fieldSelector() + "," + byName);
    }
    TableOutput<T> table = format.isTable() ? tableFor(kind, format, false, context.out()) : null;
    ObjectWriter writer = new ObjectWriter(new ManifestEncoder(), context.out());
    Map<String, String> printedVersions = new HashMap<>();
    try {
      ListResult<T> listed = client.list(kind, options);
      if (listed.items().isEmpty()) {
        context.err().println(noResourcesMessage(List.of(query)));
      }
      emit(listed.items(), table, writer, format, printedVersions);
      String resourceVersion = listed.resourceVersion();
      while (true) {
        BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        ApiClient.Watch stream = client.watch(kind, WatchOptions.from(options, resourceVersion),
            new ApiClient.WatchListener<T>() {
              @Override
              public void onEvent(WatchEventType type, T object) {
                queue.add(new Item(type, object, false, null));
              }

              @Override
              public void onClose(ApiException error) {
                queue.add(new Item(null, null, true, error));
              }
            });
        Item item;
        try {
          while (!(item = queue.take()).closed()) {
            @SuppressWarnings("unchecked")
            T object = (T) item.object();
            resourceVersion = kind.metadata(object).getResourceVersion();
            if (item.type() != WatchEventType.BOOKMARK) {
              emit(List.of(object), table, writer, format, printedVersions);
            }
          }
        } catch (InterruptedException interrupted) {
          stream.cancel();
          return 0;
        }
        if (item.error() == null) {
          continue;
        }
        if (!item.error().isExpired()) {
          context.err().println(ServerErrors.format(item.error(), root.server()));
          return 1;
        }
        listed = client.list(kind, options);
        List<T> changed = new ArrayList<>();
        for (T object : listed.items()) {
          String uid = kind.metadata(object).getUid();
          if (!kind.metadata(object).getResourceVersion().equals(printedVersions.get(uid))) {
            changed.add(object);
          }
        }
        emit(changed, table, writer, format, printedVersions);
        resourceVersion = listed.resourceVersion();
      }
    } catch (ApiException e) {
      if (Thread.currentThread().isInterrupted()) {
        return 0;
      }
      context.err().println(ServerErrors.format(e, root.server()));
      return 1;
    }
  }

  private <T extends Message> void emit(List<T> objects, TableOutput<T> table, ObjectWriter writer,
      OutputFormat format, Map<String, String> printedVersions) {
    if (objects.isEmpty()) {
      return;
    }
    if (table != null) {
      table.print(objects);
    } else {
      objects.forEach(o -> writer.streamed(o, format));
    }
    for (T object : objects) {
      io.minik8s.api.ObjectMeta metadata = io.minik8s.client.api.Kinds.of(object).metadata(object);
      printedVersions.put(metadata.getUid(), metadata.getResourceVersion());
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
