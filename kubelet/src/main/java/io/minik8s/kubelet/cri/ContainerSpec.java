package io.minik8s.kubelet.cri;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the kubelet asks for when it creates a container in a sandbox. Immutable; build it with
 * {@link #builder}.
 *
 * @param name container name, unique in the pod
 * @param attempt restart count: how many containers of this name the sandbox had before (0 first)
 * @param image image reference, e.g. {@code localhost/busybox:latest}; it must be present
 * @param command replaces the image's entrypoint when not empty
 * @param args replaces the image's cmd when not empty
 * @param workingDir "" keeps the image's
 * @param env environment, in order (later entries may refer to earlier ones)
 * @param logPath path of the container's log, relative to the sandbox's log directory ("" for none)
 * @param resources cgroup limits
 */
public record ContainerSpec(String name, int attempt, String image, List<String> command, List<String> args,
                            String workingDir, List<EnvVar> env, List<Mount> mounts,
                            Map<String, String> labels, Map<String, String> annotations, String logPath,
                            Resources resources) {

  public ContainerSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    command = List.copyOf(command);
    args = List.copyOf(args);
    workingDir = Objects.requireNonNullElse(workingDir, "");
    env = List.copyOf(env);
    mounts = List.copyOf(mounts);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    logPath = Objects.requireNonNullElse(logPath, "");
    resources = Objects.requireNonNullElse(resources, Resources.NONE);
  }

  public record EnvVar(String name, String value) {
    public EnvVar {
      Objects.requireNonNull(name, "name");
      value = Objects.requireNonNullElse(value, "");
    }
  }

  /** A host path mounted into the container. */
  public record Mount(String containerPath, String hostPath, boolean readOnly) {
    public Mount {
      Objects.requireNonNull(containerPath, "containerPath");
      Objects.requireNonNull(hostPath, "hostPath");
    }
  }

  /**
   * Linux cgroup settings, as the kubelet derives them from requests and limits; 0 means "not set".
   *
   * @param cpuPeriod CFS period in microseconds (usually 100000)
   * @param cpuQuota CFS quota in microseconds per period (the CPU limit)
   * @param cpuShares relative weight (from the CPU request; 1024 per CPU)
   * @param memoryLimitBytes the memory limit
   */
  public record Resources(long cpuPeriod, long cpuQuota, long cpuShares, long memoryLimitBytes) {
    public static final Resources NONE = new Resources(0, 0, 0, 0);
  }

  public static Builder builder(String name, String image) {
    return new Builder(name, image);
  }

  public Builder toBuilder() {
    return new Builder(name, image).attempt(attempt).command(command).args(args).workingDir(workingDir)
        .env(env).mounts(mounts).labels(labels).annotations(annotations).logPath(logPath)
        .resources(resources);
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final String image;
    private int attempt;
    private List<String> command = List.of();
    private List<String> args = List.of();
    private String workingDir = "";
    private List<EnvVar> env = List.of();
    private List<Mount> mounts = List.of();
    private Map<String, String> labels = Map.of();
    private Map<String, String> annotations = Map.of();
    private String logPath = "";
    private Resources resources = Resources.NONE;

    private Builder(String name, String image) {
      this.name = name;
      this.image = image;
    }

    public Builder attempt(int attempt) {
      this.attempt = attempt;
      return this;
    }

    public Builder command(List<String> command) {
      this.command = command;
      return this;
    }

    public Builder command(String... command) {
      return command(List.of(command));
    }

    public Builder args(List<String> args) {
      this.args = args;
      return this;
    }

    public Builder workingDir(String workingDir) {
      this.workingDir = workingDir;
      return this;
    }

    public Builder env(List<EnvVar> env) {
      this.env = env;
      return this;
    }

    public Builder mounts(List<Mount> mounts) {
      this.mounts = mounts;
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels = labels;
      return this;
    }

    public Builder annotations(Map<String, String> annotations) {
      this.annotations = annotations;
      return this;
    }

    public Builder logPath(String logPath) {
      this.logPath = logPath;
      return this;
    }

    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    public ContainerSpec build() {
      return new ContainerSpec(name, attempt, image, command, args, workingDir, env, mounts, labels,
          annotations, logPath, resources);
    }
  }
}
