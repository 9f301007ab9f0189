package io.minik8s.cli;

import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentCondition;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.ReplicaSet;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.cli.printers.TabWriter;
import io.minik8s.client.process.GoDuration;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mkctl rollout status|history|undo|pause|resume deployment/NAME}, with kubectl's messages.
 * Revisions are the ReplicaSets the Deployment controls, numbered by their
 * {@code deployment.kubernetes.io/revision} annotation.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true, description = "Manage the rollout of a Deployment.",
    subcommands = {RolloutCommand.Status.class, RolloutCommand.History.class, RolloutCommand.Undo.class,
        RolloutCommand.Pause.class, RolloutCommand.Resume.class})
final class RolloutCommand {
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String TEMPLATE_HASH = "pod-template-hash";
  static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

  @ParentCommand
  Mkctl root;

  /** Shared by the subcommands: the target and the client. */
  abstract static class Sub implements Callable<Integer> {
    @ParentCommand
    RolloutCommand rollout;

    @Parameters(arity = "1..2", paramLabel = "deployment/NAME", description = "deployment/NAME or deployment NAME.")
    List<String> target;

    Mkctl root() {
      return rollout.root;
    }

    WorkloadRef ref() {
      return WorkloadRef.parse(target, WorkloadRef.DEPLOYMENTS);
    }

    @Override
    public Integer call() throws Exception {
      try {
        return run(root().client(), ref());
      } catch (ApiException e) {
        root().context().err().println(ServerErrors.format(e, root().server()));
        return 1;
      }
    }

    abstract int run(ApiClient client, WorkloadRef ref) throws Exception;

    /** The ReplicaSets the Deployment controls, oldest revision first. */
    List<ReplicaSet> revisions(ApiClient client, Deployment d) {
      return client.list(Kinds.REPLICA_SET, ListOptions.inNamespace(d.getMetadata().getNamespace())).items().stream()
          .filter(rs -> rs.getMetadata().getOwnerReferencesList().stream()
              .anyMatch(o -> o.getController() && o.getUid().equals(d.getMetadata().getUid())))
          .sorted(Comparator.comparingLong(RolloutCommand::revisionOf))
          .toList();
    }

    /** Read-modify-write of the Deployment ({@link ConflictRetry}). */
    Deployment modify(ApiClient client, String name, UnaryOperator<Deployment> change) {
      return ConflictRetry.run(() -> client.update(change.apply(client.get(Kinds.DEPLOYMENT, root().namespace(), name))));
    }
  }

  static long revisionOf(ReplicaSet rs) {
    try {
      return Long.parseLong(rs.getMetadata().getAnnotationsOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Follow a rollout until it completes or fails.")
  static final class Status extends Sub {
    @Option(names = "--timeout", defaultValue = "0", description = "Give up after this long (0: wait for ever).")
    String timeout;

    @Option(names = {"-w", "--watch"}, defaultValue = "true", negatable = true, description = "Follow until done (default).")
    boolean watch;

    @Override
    int run(ApiClient client, WorkloadRef ref) throws InterruptedException {
      Duration limit = parse(timeout);
      long deadline = limit.isZero() ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
      LinkedBlockingQueue<Deployment> changes = new LinkedBlockingQueue<>();
      ApiClient.ListResult<Deployment> list = client.list(Kinds.DEPLOYMENT,
          ListOptions.inNamespace(root().namespace()).withFieldSelector("metadata.name=" + ref.name()));
      if (list.items().isEmpty()) {
        throw ApiException.notFound(Kinds.DEPLOYMENT, ref.name());
      }
      changes.add(list.items().get(0));
      ApiClient.Watch w = client.watch(Kinds.DEPLOYMENT, new ApiClient.WatchOptions(root().namespace(), "",
          "metadata.name=" + ref.name(), list.resourceVersion(), false), new ApiClient.WatchListener<>() {
            @Override
            public void onEvent(ApiClient.WatchEventType type, Deployment d) {
              changes.add(d);
            }

            @Override
            public void onClose(ApiException error) {}
          });
      try {
        String last = "";
        while (true) {
          long left = deadline - System.nanoTime();
          Deployment d = changes.poll(Math.max(1, Math.min(left, TimeUnit.SECONDS.toNanos(5))), TimeUnit.NANOSECONDS);
          if (d == null) {
            if (System.nanoTime() >= deadline) {
              root().context().err().println("error: timed out waiting for the condition");
              return 1;
            }
            d = client.get(Kinds.DEPLOYMENT, root().namespace(), ref.name()); // the watch may have ended
          }
          Progress p = progress(d);
          if (!p.message().equals(last)) {
            (p.failed() ? root().context().err() : root().context().out()).println(p.message());
            root().context().out().flush();
            last = p.message();
          }
          if (p.done()) {
            return p.failed() ? 1 : 0;
          }
          if (!watch) {
            return 0;
          }
        }
      } finally {
        w.cancel();
      }
    }

    /** kubectl's rollout status rules for a Deployment. */
    static Progress progress(Deployment d) {
      String name = d.getMetadata().getName();
      if (d.getMetadata().getGeneration() > d.getStatus().getObservedGeneration()) {
        return new Progress("Waiting for deployment spec update to be observed...", false, false);
      }
      Optional<DeploymentCondition> progressing = d.getStatus().getConditionsList().stream()
          .filter(c -> c.getType().equals("Progressing")).findFirst();
      if (progressing.isPresent() && progressing.get().getReason().equals("ProgressDeadlineExceeded")) {
        return new Progress("error: deployment \"" + name + "\" exceeded its progress deadline", true, true);
      }
      int desired = d.getSpec().getReplicas();
      var s = d.getStatus();
      if (s.getUpdatedReplicas() < desired) {
        return new Progress(String.format("Waiting for deployment \"%s\" rollout to finish: %d out of %d new replicas"
            + " have been updated...", name, s.getUpdatedReplicas(), desired), false, false);
      }
      if (s.getReplicas() > s.getUpdatedReplicas()) {
        return new Progress(String.format("Waiting for deployment \"%s\" rollout to finish: %d old replicas are"
            + " pending termination...", name, s.getReplicas() - s.getUpdatedReplicas()), false, false);
      }
      if (s.getAvailableReplicas() < s.getUpdatedReplicas()) {
        return new Progress(String.format("Waiting for deployment \"%s\" rollout to finish: %d of %d updated"
            + " replicas are available...", name, s.getAvailableReplicas(), s.getUpdatedReplicas()), false, false);
      }
      return new Progress("deployment \"" + name + "\" successfully rolled out", true, false);
    }

    record Progress(String message, boolean done, boolean failed) {}
  }

  @Command(name = "history", mixinStandardHelpOptions = true, description = "List the revisions of a Deployment.")
  static final class History extends Sub {
    @Override
    int run(ApiClient client, WorkloadRef ref) {
      Deployment d = client.get(Kinds.DEPLOYMENT, root().namespace(), ref.name());
      var out = root().context().out();
      out.println(ref.slashed());
      List<List<String>> rows = new java.util.ArrayList<>();
      rows.add(List.of("REVISION", "CHANGE-CAUSE"));
      for (ReplicaSet rs : revisions(client, d)) {
        rows.add(List.of(Long.toString(revisionOf(rs)), rs.getMetadata().getAnnotationsOrDefault(CHANGE_CAUSE, "<none>")));
      }
      TabWriter.forTables().formatRows(rows).forEach(out::println);
      out.println();
      return 0;
    }
  }

  @Command(name = "undo", mixinStandardHelpOptions = true, description = "Roll back to an earlier revision.")
  static final class Undo extends Sub {
    @Option(names = "--to-revision", defaultValue = "0", description = "The revision to go back to (0: the previous one).")
    long toRevision;

    @Override
    int run(ApiClient client, WorkloadRef ref) {
      Deployment d = client.get(Kinds.DEPLOYMENT, root().namespace(), ref.name());
      List<ReplicaSet> revisions = revisions(client, d);
      Optional<ReplicaSet> target;
      if (toRevision > 0) {
        target = revisions.stream().filter(rs -> revisionOf(rs) == toRevision).findFirst();
        if (target.isEmpty()) {
          root().context().err().println("error: unable to find the specified revision " + toRevision);
          return 1;
        }
      } else {
        target = revisions.size() < 2 ? Optional.empty() : Optional.of(revisions.get(revisions.size() - 2));
        if (target.isEmpty()) {
          root().context().err().println("error: no rollout history found for " + ref.slashed());
          return 1;
        }
      }
      PodTemplateSpec template = target.get().getSpec().getTemplate();
      PodTemplateSpec withoutHash = template.toBuilder()
          .setMetadata(template.getMetadata().toBuilder().removeLabels(TEMPLATE_HASH)).build();
      if (withoutHash.equals(d.getSpec().getTemplate())) {
        root().context().out().println(ref.slashed() + " skipped rollback (current template already matches revision "
            + revisionOf(target.get()) + ")");
        return 0;
      }
      modify(client, ref.name(), cur -> cur.toBuilder().setSpec(cur.getSpec().toBuilder().setTemplate(withoutHash)).build());
      root().context().out().println(ref.slashed() + " rolled back");
      return 0;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop a rollout from progressing.")
  static final class Pause extends Sub {
    @Override
    int run(ApiClient client, WorkloadRef ref) {
      return setPaused(this, client, ref, true);
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Let a paused rollout progress again.")
  static final class Resume extends Sub {
    @Override
    int run(ApiClient client, WorkloadRef ref) {
      return setPaused(this, client, ref, false);
    }
  }

  private static int setPaused(Sub sub, ApiClient client, WorkloadRef ref, boolean paused) {
    Deployment d = client.get(Kinds.DEPLOYMENT, sub.root().namespace(), ref.name());
    if (d.getSpec().getPaused() == paused) {
      sub.root().context().err().println("error: " + ref.slashed() + " is " + (paused ? "already paused" : "not paused"));
      return 1;
    }
    sub.modify(client, ref.name(), cur -> cur.toBuilder().setSpec(cur.getSpec().toBuilder().setPaused(paused)).build());
    sub.root().context().out().println(ref.slashed() + (paused ? " paused" : " resumed"));
    return 0;
  }

  private static Duration parse(String text) {
    try {
      return GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
