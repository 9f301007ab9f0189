package io.minik8s.kubeproxy.loadbalancer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LinkAddresses} through iproute2's {@code ip} command, each command line preceded by a prefix
 * ({@code []} for the host; {@code [ip, netns, exec, NS]} for a network namespace).
 *
 * <p>The link is a {@code dummy} interface, as kube-proxy's IPVS mode uses ({@code kube-ipvs0}): it
 * holds addresses, so the kernel treats them as local and answers ARP for them on every interface, and
 * it forwards nothing. On a kernel without the dummy driver it falls back to a bridge without ports,
 * which behaves the same for this purpose. Stateless apart from the prefix and names.
 */
public final class IpCommandLinkAddresses implements LinkAddresses {
  /** The name kube-proxy uses by default. */
  public static final String DEFAULT_LINK = "minik8s-lb0";

  private static final Logger log = LoggerFactory.getLogger(IpCommandLinkAddresses.class);
  private static final long TIMEOUT_SECONDS = 30;
  private static final List<String> LINK_TYPES = List.of("dummy", "bridge");

  private final List<String> prefix;
  private final String link;

  public IpCommandLinkAddresses(List<String> prefix, String link) {
    this.prefix = List.copyOf(prefix);
    this.link = link;
  }

  /** {@link #DEFAULT_LINK} on the host. */
  public static IpCommandLinkAddresses host() {
    return new IpCommandLinkAddresses(List.of(), DEFAULT_LINK);
  }

  /** {@link #DEFAULT_LINK} inside network namespace {@code name} (through {@code ip netns exec}). */
  public static IpCommandLinkAddresses inNetns(String name) {
    return new IpCommandLinkAddresses(List.of("ip", "netns", "exec", name), DEFAULT_LINK);
  }

  @Override
  public String linkName() {
    return link;
  }

  @Override
  public Optional<LinkState> read() throws LinkException {
    Result shown = execute(List.of("ip", "-o", "link", "show", "dev", link));
    if (shown.exitCode != 0) {
      if (shown.stderr.contains("does not exist")) {
        return Optional.empty();
      }
      throw failure(List.of("ip", "-o", "link", "show", "dev", link), shown);
    }
    String addresses = run(List.of("ip", "-o", "-4", "addr", "show", "dev", link));
    return Optional.of(new LinkState(isUp(shown.stdout), parseAddresses(addresses)));
  }

  /** Whether {@code ip -o link show} output lists the UP flag: {@code 3: name: <BROADCAST,NOARP,UP,LOWER_UP> ...}. */
  static boolean isUp(String linkShow) {
    int open = linkShow.indexOf('<');
    int close = linkShow.indexOf('>', open + 1);
    if (open < 0 || close < 0) {
      return false;
    }
    return List.of(linkShow.substring(open + 1, close).split(",")).contains("UP");
  }

  /**
   * The global addresses in {@code ip -o addr show} output, without prefix length: lines such as
   * {@code 3: minik8s-lb0    inet 10.0.0.1/32 scope global minik8s-lb0\ ...}.
   */
  static Set<String> parseAddresses(String addrShow) {
    Set<String> addresses = new HashSet<>();
    for (String line : (Iterable<String>) addrShow.lines()::iterator) {
      String[] f = line.trim().split("\\s+");
      for (int i = 2; i + 1 < f.length; i++) {
        if ((f[i].equals("inet") || f[i].equals("inet6")) && line.contains(" scope global")) {
          String cidr = f[i + 1];
          int slash = cidr.indexOf('/');
          addresses.add(slash < 0 ? cidr : cidr.substring(0, slash));
          break;
        }
      }
    }
    return addresses;
  }

  @Override
  public void create() throws LinkException {
    LinkException last = null;
    for (String type : LINK_TYPES) {
      Result r = execute(List.of("ip", "link", "add", link, "type", type));
      if (r.exitCode == 0) {
        if (!type.equals(LINK_TYPES.get(0))) {
          log.atInfo().addKeyValue("link", link).addKeyValue("type", type)
              .log("no dummy interfaces in this kernel: holding load-balancer IPs on a bridge without ports");
        }
        setUp();
        return;
      }
      last = failure(List.of("ip", "link", "add", link, "type", type), r);
      if (!r.stderr.contains("Unknown device type") && !r.stderr.contains("not supported")) {
        break;
      }
    }
    throw last;
  }

  @Override
  public void setUp() throws LinkException {
    run(List.of("ip", "link", "set", "dev", link, "up"));
  }

  @Override
  public void delete() throws LinkException {
    run(List.of("ip", "link", "del", "dev", link));
  }

  @Override
  public void addAddress(String ip) throws LinkException {
    run(List.of("ip", "addr", "add", ip + "/32", "dev", link));
  }

  @Override
  public void deleteAddress(String ip) throws LinkException {
    run(List.of("ip", "addr", "del", ip + "/32", "dev", link));
  }

  private String run(List<String> command) throws LinkException {
    Result r = execute(command);
    if (r.exitCode != 0) {
      throw failure(command, r);
    }
    return r.stdout;
  }

  private static LinkException failure(List<String> command, Result r) {
    return new LinkException(String.join(" ", command) + " exited with " + r.exitCode + ": " + r.stderr.strip());
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result execute(List<String> command) throws LinkException {
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(command);
    Process process;
    try {
      process = new ProcessBuilder(argv).start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new LinkException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    String out = readAll(process.getInputStream());
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new LinkException(String.join(" ", command) + " timed out after " + TIMEOUT_SECONDS + "s");
      }
      return new Result(process.exitValue(), out, err.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new LinkException(String.join(" ", command) + " interrupted", e);
    } catch (ExecutionException e) {
      throw new LinkException(String.join(" ", command) + ": " + e.getCause(), e.getCause());
    }
  }

  private static String readAll(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
