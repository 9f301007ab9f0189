package io.minik8s.cli;

import io.minik8s.api.Deployment;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code mkctl scale deploy/web --replicas 5}: sets spec.replicas (read-modify-write, {@link ConflictRetry}). */
@Command(name = "scale", mixinStandardHelpOptions = true, description = "Set the number of replicas of a Deployment or ReplicaSet.")
final class ScaleCommand implements Callable<Integer> {
  @ParentCommand
  private Mkctl root;

  @Parameters(arity = "1..2", paramLabel = "TYPE/NAME", description = "deployment/NAME, rs/NAME, or TYPE NAME.")
  private List<String> target;

  @Option(names = "--replicas", required = true, description = "The new number of replicas.")
  private int replicas;

  @Override
  public Integer call() {
    if (replicas < 0) {
      throw new UsageException("--replicas must be 0 or more");
    }
    WorkloadRef ref = WorkloadRef.parse(target, WorkloadRef.SCALABLE);
    ApiClient client = root.client();
    try {
      ConflictRetry.run(() -> {
        if (ref.kind() == Kinds.DEPLOYMENT) {
          Deployment d = client.get(Kinds.DEPLOYMENT, root.namespace(), ref.name());
          return client.update(d.toBuilder().setSpec(d.getSpec().toBuilder().setReplicas(replicas)).build());
        }
        ReplicaSet rs = client.get(Kinds.REPLICA_SET, root.namespace(), ref.name());
        return client.update(rs.toBuilder().setSpec(rs.getSpec().toBuilder().setReplicas(replicas)).build());
      });
      root.context().out().println(ref.slashed() + " scaled");
      return 0;
    } catch (ApiException e) {
      root.context().err().println(ServerErrors.format(e, root.server()));
      return 1;
    }
  }
}
