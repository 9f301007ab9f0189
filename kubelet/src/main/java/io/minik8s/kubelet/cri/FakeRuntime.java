package io.minik8s.kubelet.cri;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A container runtime in memory: for unit tests of the kubelet and for simulated ("hollow") nodes.
 *
 * <p>It behaves like containerd where the kubelet can tell: sandboxes get an IP from a pod subnet
 * (released when the sandbox stops), containers need a present image and an existing sandbox, start
 * at once and run until {@link #exitContainer} (a test's "the process exited with this code"),
 * {@link #stopContainer} (exit 143, as after SIGTERM) or the sandbox stops (exit 137, as after
 * SIGKILL). Stop and remove are idempotent; status of an unknown id is empty. Pulling an image
 * succeeds (it "comes from a registry") unless the image was marked with {@link #failPullsOf}.
 *
 * <p>Thread-safe: every method holds the instance's lock, and every result is a snapshot.
 */
public final class FakeRuntime implements ContainerRuntime {
  public static final String RUNTIME_NAME = "fake";
  public static final String DEFAULT_POD_SUBNET = "10.88.0.0/16";

  private final Clock clock;
  private final int subnetBase;
  private final int subnetSize;
  private final BitSet usedAddresses = new BitSet();
  private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
  private final Map<String, Container> containers = new LinkedHashMap<>();
  private final Map<String, ImageRef> images = new LinkedHashMap<>();
  private final Set<String> unpullable = new HashSet<>();
  private final List<String> pulls = new ArrayList<>();
  private final Map<String, Deque<String>> injectedFailures = new HashMap<>();
  private BiFunction<String, List<String>, ExecResult> execHandler = (id, cmd) -> new ExecResult(0, "", "");
  private long nextId = 1;

  /** A runtime handing out pod IPs from {@link #DEFAULT_POD_SUBNET}, on the system clock. */
  public FakeRuntime() {
    this(DEFAULT_POD_SUBNET, Clock.systemUTC());
  }

  /** @param podSubnet IPv4 CIDR the sandboxes' IPs come from (the first address is the gateway) */
  public FakeRuntime(String podSubnet, Clock clock) {
    this.clock = clock;
    String[] parts = podSubnet.split("/");
    int prefix = Integer.parseInt(parts[1]);
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException("pod subnet must be /8 to /30: " + podSubnet);
    }
    this.subnetSize = 1 << (32 - prefix);
    this.subnetBase = ipv4(parts[0]) & -subnetSize;
  }

  // ---- what tests use to drive and inspect it ----

  /** Makes the image present on the node, as if loaded or pulled earlier. */
  public synchronized FakeRuntime addImage(String image) {
    images.putIfAbsent(image, imageRefFor(image));
    return this;
  }

  /** Makes pulls of this image fail, as for an image no registry has. */
  public synchronized void failPullsOf(String image) {
    unpullable.add(image);
  }

  /** Every image pulled, in order. */
  public synchronized List<String> pulls() {
    return List.copyOf(pulls);
  }

  /** The running container's process exits with {@code exitCode} now. */
  public synchronized void exitContainer(String containerId, int exitCode) {
    Container c = containers.get(containerId);
    if (c == null || c.state != ContainerState.RUNNING) {
      throw new IllegalStateException("container " + containerId + " is not running");
    }
    c.exit(exitCode, now());
  }

  /** Answers every later ExecSync; by default every command succeeds with no output. */
  public synchronized void onExec(BiFunction<String, List<String>, ExecResult> handler) {
    this.execHandler = handler;
  }

  /** The next call of this CRI rpc (e.g. "RunPodSandbox") fails with {@code message}, once. */
  public synchronized void failNext(String rpc, String message) {
    injectedFailures.computeIfAbsent(rpc, k -> new ArrayDeque<>()).add(message);
  }

  // ---- ContainerRuntime ----

  @Override
  public synchronized RuntimeVersion version() {
    maybeFail("Version");
    return new RuntimeVersion(RUNTIME_NAME, "0.1.0", "v1");
  }

  @Override
  public synchronized RuntimeHealth health() {
    maybeFail("Status");
    return new RuntimeHealth(true, true, "");
  }

  @Override
  public synchronized String runSandbox(SandboxSpec spec) {
    maybeFail("RunPodSandbox");
    String id = newId("sandbox");
    String ip = spec.hostNetwork() ? "" : allocateIp(id);
    sandboxes.put(id, new Sandbox(id, spec, now(), ip));
    return id;
  }

  @Override
  public synchronized void stopSandbox(String sandboxId) {
    maybeFail("StopPodSandbox");
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) {
      return;
    }
    for (Container c : containers.values()) {
      if (c.sandboxId.equals(sandboxId) && c.state == ContainerState.RUNNING) {
        c.exit(137, now());
      }
    }
    s.state = SandboxState.NOT_READY;
    releaseIp(s);
  }

  @Override
  public synchronized void removeSandbox(String sandboxId) {
    maybeFail("RemovePodSandbox");
    Sandbox s = sandboxes.remove(sandboxId);
    if (s == null) {
      return;
    }
    releaseIp(s);
    containers.values().removeIf(c -> c.sandboxId.equals(sandboxId));
  }

  @Override
  public synchronized Optional<SandboxInfo> sandboxStatus(String sandboxId) {
    maybeFail("PodSandboxStatus");
    return Optional.ofNullable(sandboxes.get(sandboxId)).map(Sandbox::info);
  }

  @Override
  public synchronized List<SandboxSummary> listSandboxes(Map<String, String> labels) {
    maybeFail("ListPodSandbox");
    return sandboxes.values().stream()
        .filter(s -> s.spec.labels().entrySet().containsAll(labels.entrySet()))
        .map(Sandbox::summary).toList();
  }

  @Override
  public synchronized Optional<ImageRef> imageStatus(String image) {
    maybeFail("ImageStatus");
    return Optional.ofNullable(images.get(image));
  }

  @Override
  public synchronized String pullImage(String image) {
    maybeFail("PullImage");
    if (unpullable.contains(image)) {
      throw new CriException("PullImage", CriException.Code.NOT_FOUND,
          "failed to pull and unpack image \"" + image + "\": not found");
    }
    pulls.add(image);
    return images.computeIfAbsent(image, FakeRuntime::imageRefFor).id();
  }

  @Override
  public synchronized List<ImageRef> listImages() {
    maybeFail("ListImages");
    return List.copyOf(images.values());
  }

  @Override
  public synchronized void removeImage(String image) {
    maybeFail("RemoveImage");
    images.remove(image);
  }

  @Override
  public synchronized String createContainer(String sandboxId, ContainerSpec spec, SandboxSpec sandbox) {
    maybeFail("CreateContainer");
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) {
      throw new CriException("CreateContainer", CriException.Code.NOT_FOUND,
          "failed to find sandbox " + sandboxId);
    }
    if (s.state != SandboxState.READY) {
      throw new CriException("CreateContainer", CriException.Code.OTHER, "sandbox " + sandboxId + " is not ready");
    }
    ImageRef image = images.get(spec.image());
    if (image == null) {
      throw new CriException("CreateContainer", CriException.Code.NOT_FOUND,
          "failed to get image \"" + spec.image() + "\": not found");
    }
    String id = newId("container");
    containers.put(id, new Container(id, sandboxId, spec, image.id(), now()));
    return id;
  }

  @Override
  public synchronized void startContainer(String containerId) {
    maybeFail("StartContainer");
    Container c = containers.get(containerId);
    if (c == null) {
      throw new CriException("StartContainer", CriException.Code.NOT_FOUND, "container " + containerId + " not found");
    }
    if (c.state != ContainerState.CREATED) {
      throw new CriException("StartContainer", CriException.Code.OTHER,
          "container " + containerId + " is in state " + c.state + ", not CREATED");
    }
    c.state = ContainerState.RUNNING;
    c.startedAt = now();
  }

  @Override
  public synchronized void stopContainer(String containerId, long timeoutSeconds) {
    maybeFail("StopContainer");
    Container c = containers.get(containerId);
    if (c != null && c.state == ContainerState.RUNNING) {
      c.exit(143, now());
    }
  }

  @Override
  public synchronized void removeContainer(String containerId) {
    maybeFail("RemoveContainer");
    containers.remove(containerId);
  }

  @Override
  public synchronized Optional<ContainerInfo> containerStatus(String containerId) {
    maybeFail("ContainerStatus");
    return Optional.ofNullable(containers.get(containerId)).map(Container::info);
  }

  @Override
  public synchronized List<ContainerSummary> listContainers(ContainerFilter filter) {
    maybeFail("ListContainers");
    return containers.values().stream()
        .filter(c -> filter.matches(c.sandboxId, c.state, c.spec.labels()))
        .map(Container::summary).toList();
  }

  @Override
  public synchronized ExecResult execSync(String containerId, List<String> command, Duration timeout) {
    maybeFail("ExecSync");
    Container c = containers.get(containerId);
    if (c == null) {
      throw new CriException("ExecSync", CriException.Code.NOT_FOUND, "container " + containerId + " not found");
    }
    if (c.state != ContainerState.RUNNING) {
      throw new CriException("ExecSync", CriException.Code.OTHER, "container " + containerId + " is not running");
    }
    return execHandler.apply(containerId, List.copyOf(command));
  }

  @Override
  public void close() {
  }

  // ---- internals ----

  private void maybeFail(String rpc) {
    Deque<String> failures = injectedFailures.get(rpc);
    if (failures != null && !failures.isEmpty()) {
      throw new CriException(rpc, CriException.Code.OTHER, failures.poll());
    }
  }

  private Instant now() {
    return clock.instant();
  }

  private String newId(String kind) {
    return String.format("%s-%016x", kind, nextId++);
  }

  /** Hosts are offsets 2..size-2 of the subnet: 0 is the network, 1 the gateway, the last broadcast. */
  private String allocateIp(String sandboxId) {
    int offset = usedAddresses.nextClearBit(2);
    if (offset > subnetSize - 2) {
      throw new CriException("RunPodSandbox", CriException.Code.OTHER,
          "failed to set up sandbox " + sandboxId + " network: no IP addresses available in the pod subnet");
    }
    usedAddresses.set(offset);
    return dotted(subnetBase + offset);
  }

  private void releaseIp(Sandbox s) {
    if (!s.ip.isEmpty()) {
      usedAddresses.clear(ipv4(s.ip) - subnetBase);
      s.ip = "";
    }
  }

  private static ImageRef imageRefFor(String image) {
    String digest = String.format("sha256:%064x", image.hashCode() & 0xffffffffL);
    return new ImageRef(digest, List.of(image), List.of(), 1_000_000);
  }

  private static int ipv4(String dotted) {
    String[] octets = dotted.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }
    int value = 0;
    for (String o : octets) {
      value = (value << 8) | Integer.parseInt(o);
    }
    return value;
  }

  private static String dotted(int ip) {
    return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
  }

  private static final class Sandbox {
    final String id;
    final SandboxSpec spec;
    final Instant createdAt;
    String ip;
    SandboxState state = SandboxState.READY;

    Sandbox(String id, SandboxSpec spec, Instant createdAt, String ip) {
      this.id = id;
      this.spec = spec;
      this.createdAt = createdAt;
      this.ip = ip;
    }

    SandboxInfo info() {
      return new SandboxInfo(id, spec.name(), spec.namespace(), spec.uid(), spec.attempt(), state, createdAt, ip,
          spec.labels(), spec.annotations());
    }

    SandboxSummary summary() {
      return new SandboxSummary(id, spec.name(), spec.namespace(), spec.uid(), spec.attempt(), state, createdAt,
          spec.labels(), spec.annotations());
    }
  }

  private static final class Container {
    final String id;
    final String sandboxId;
    final ContainerSpec spec;
    final String imageRef;
    final Instant createdAt;
    ContainerState state = ContainerState.CREATED;
    Instant startedAt;
    Instant finishedAt;
    int exitCode;
    String reason = "";

    Container(String id, String sandboxId, ContainerSpec spec, String imageRef, Instant createdAt) {
      this.id = id;
      this.sandboxId = sandboxId;
      this.spec = spec;
      this.imageRef = imageRef;
      this.createdAt = createdAt;
    }

    void exit(int code, Instant at) {
      state = ContainerState.EXITED;
      exitCode = code;
      finishedAt = at;
      reason = code == 0 ? "Completed" : "Error";
    }

    ContainerInfo info() {
      return new ContainerInfo(id, spec.name(), spec.attempt(), spec.image(), imageRef, state, createdAt, startedAt,
          finishedAt, exitCode, reason, "", spec.labels(), spec.annotations(), spec.logPath());
    }

    ContainerSummary summary() {
      return new ContainerSummary(id, sandboxId, spec.name(), spec.attempt(), spec.image(), imageRef, state,
          createdAt, spec.labels(), spec.annotations());
    }
  }
}
