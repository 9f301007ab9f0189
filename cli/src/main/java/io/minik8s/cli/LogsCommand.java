package io.minik8s.cli;

import io.minik8s.api.LogsRequest;
import io.minik8s.client.api.ApiException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mkctl logs [-f] [--tail N] [-c CONTAINER] [-p] [--timestamps] POD}: a container's log, through
 * the API server (which asks the kubelet of the pod's node), so a user needs one address only.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print the logs of a container in a pod.")
final class LogsCommand implements Callable<Integer> {
  @ParentCommand
  private Mkctl root;

  @Parameters(index = "0", paramLabel = "POD", description = "The pod (also pod/NAME).")
  private String pod;

  @Option(names = {"-c", "--container"}, description = "The container; may be left out when the pod has one.")
  private String container = "";

  @Option(names = {"-f", "--follow"}, description = "Keep streaming new lines.")
  private boolean follow;

  @Option(names = "--tail", defaultValue = "-1", description = "Lines from the end to show (-1: all).")
  private long tail;

  @Option(names = {"-p", "--previous"}, description = "The log of the previous, terminated instance.")
  private boolean previous;

  @Option(names = "--timestamps", description = "Prefix each line with its RFC 3339 time.")
  private boolean timestamps;

  @Override
  public Integer call() throws IOException {
    String name = pod.startsWith("pod/") ? pod.substring(4) : pod.startsWith("pods/") ? pod.substring(5) : pod;
    LogsRequest.Builder request = LogsRequest.newBuilder().setNamespace(root.namespace()).setName(name)
        .setContainer(container).setFollow(follow).setPrevious(previous).setTimestamps(timestamps);
    if (tail >= 0) {
      request.setTailLines(tail);
    }
    CliContext context = root.context();
    try {
      root.client().streamLogs(request.build(), context.out());
      return 0;
    } catch (ApiException e) {
      context.out().flush();
      context.err().println(ServerErrors.format(e, root.server()));
      return 1;
    }
  }
}
