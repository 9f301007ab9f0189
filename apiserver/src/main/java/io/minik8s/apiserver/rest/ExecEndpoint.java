package io.minik8s.apiserver.rest;

import io.minik8s.api.Status;
import io.minik8s.api.StatusCause;
import io.minik8s.api.StatusDetails;
import io.minik8s.apiserver.kubelet.ContainerTargets;
import io.minik8s.apiserver.kubelet.PodExecProxy;
import io.minik8s.client.api.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * pods/exec as kubectl speaks it since 1.30: a WebSocket with the {@code v5.channel.k8s.io} (or
 * {@code v4.channel.k8s.io}) subprotocol, whose binary messages start with a channel number (1 stdout,
 * 2 stderr, 3 the final {@code Status}; 0 stdin and 4 resize from the client). The command runs to its end
 * through the kubelet (CRI ExecSync), then its output and a Status (Success, or NonZeroExitCode with the exit
 * code as cause, which kubectl turns into its own exit code) go out and the socket closes.
 *
 * <p>ExecSync has no standard input and no terminal: {@code kubectl exec -i} or {@code -t} is refused before
 * the upgrade, with a BadRequest saying so. Thread-safe.
 */
final class ExecEndpoint {
  /** The WebSocket subprotocols served, best first, as Netty's handshaker takes them. */
  static final String SUBPROTOCOLS = "v5.channel.k8s.io,v4.channel.k8s.io";
  static final byte STDOUT = 1;
  static final byte STDERR = 2;
  static final byte ERROR = 3;
  /** How long a command may run; ExecSync needs a bound and kubectl gives none. */
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final PodExecProxy execs;
  private final ObjectJson json;

  ExecEndpoint(PodExecProxy execs, ObjectJson json) {
    this.execs = execs;
    this.json = json;
  }

  /** A checked exec request, ready to run. */
  record Call(ContainerTargets.Target target, List<String> command, boolean stdout, boolean stderr) {}

  /**
   * Checks an upgrade request for {@code .../pods/{name}/exec} and finds the container (blocking).
   *
   * @throws ApiException what the client gets instead of an upgrade
   */
  Call open(RestRequest request) {
    ApiPath path = ApiPath.parse(request.path()).orElseThrow(RestErrors::notFound);
    if (!(path instanceof ApiPath.Resource resource) || !resource.group().isEmpty()
        || !resource.resource().equals("pods") || !resource.subresource().equals("exec")) {
      throw RestErrors.notFound();
    }
    if (!request.method().equals("GET") && !request.method().equals("POST")) {
      throw RestErrors.methodNotAllowed(request.method());
    }
    List<String> command = request.query().getOrDefault("command", List.of());
    if (command.isEmpty()) {
      throw ApiException.badRequest("you must specify at least 1 command");
    }
    if (request.flag("stdin") || request.flag("tty")) {
      throw ApiException.badRequest("minik8s runs commands with the CRI's ExecSync, which has no standard input "
          + "and no terminal: run kubectl exec without -i and -t");
    }
    ContainerTargets.Target target = execs.target(resource.namespace(), resource.name(), request.param("container"));
    return new Call(target, List.copyOf(command), request.flag("stdout"), request.flag("stderr"));
  }

  /** Runs the command (blocking) and returns the messages to send, the Status last. */
  List<byte[]> run(Call call) {
    try {
      PodExecProxy.Result result = execs.run(call.target(), call.command(), TIMEOUT);
      return messages(call, result);
    } catch (ApiException e) {
      return List.of(message(ERROR, json.bytes(json.status(e.status()))));
    }
  }

  List<byte[]> messages(Call call, PodExecProxy.Result result) {
    List<byte[]> out = new ArrayList<>();
    if (call.stdout() && result.stdout().length > 0) {
      out.add(message(STDOUT, result.stdout()));
    }
    if (call.stderr() && result.stderr().length > 0) {
      out.add(message(STDERR, result.stderr()));
    }
    out.add(message(ERROR, json.bytes(status(call, result.exitCode()))));
    return out;
  }

  /** Kubernetes' final Status of an exec: Success, or NonZeroExitCode with the code as the ExitCode cause. */
  private Map<String, Object> status(Call call, int exitCode) {
    if (exitCode == 0) {
      return json.status(Status.newBuilder().setStatus("Success").build());
    }
    return json.status(Status.newBuilder().setStatus("Failure").setReason("NonZeroExitCode")
        .setMessage("command terminated with non-zero exit code: error executing command " + call.command()
            + ", exit code " + exitCode)
        .setDetails(StatusDetails.newBuilder().addCauses(StatusCause.newBuilder().setReason("ExitCode")
            .setMessage(Integer.toString(exitCode))))
        .build());
  }

  static byte[] message(byte channel, byte[] data) {
    byte[] out = new byte[data.length + 1];
    out[0] = channel;
    System.arraycopy(data, 0, out, 1, data.length);
    return out;
  }
}
