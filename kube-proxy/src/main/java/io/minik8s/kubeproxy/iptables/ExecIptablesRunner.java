package io.minik8s.kubeproxy.iptables;

import io.minik8s.kubeproxy.rules.Jump;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@link IptablesRunner} that runs the iptables binaries, each command line preceded by a prefix
 * ({@code []} for the host; {@code [ip, netns, exec, NS]} for a network namespace). Stateless apart from
 * the prefix, so thread-safe; iptables' {@code -w} lock serialises concurrent writers.
 */
public final class ExecIptablesRunner implements IptablesRunner {
  private static final long TIMEOUT_SECONDS = 120;
  private final List<String> prefix;

  public ExecIptablesRunner(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  /** Runs iptables on the host. */
  public static ExecIptablesRunner host() {
    return new ExecIptablesRunner(List.of());
  }

  /** Runs iptables inside network namespace {@code name} (through {@code ip netns exec}). */
  public static ExecIptablesRunner inNetns(String name) {
    return new ExecIptablesRunner(List.of("ip", "netns", "exec", name));
  }

  @Override
  public void restore(String table, String rules) throws IptablesException {
    run(List.of("iptables-restore", "--noflush", "-w", "5"), rules);
  }

  @Override
  public String save(String table) throws IptablesException {
    return run(List.of("iptables-save", "-t", table), null);
  }

  @Override
  public void ensureJump(Jump jump) throws IptablesException {
    List<String> check = new ArrayList<>(List.of("iptables", "-w", "5", "-t", jump.table(), "-C", jump.chain()));
    check.addAll(jump.ruleSpec());
    if (exitCode(check) == 0) {
      return;
    }
    List<String> insert = new ArrayList<>(List.of("iptables", "-w", "5", "-t", jump.table(), "-I", jump.chain()));
    insert.addAll(jump.ruleSpec());
    run(insert, null);
  }

  @Override
  public void deleteChainsWithPrefix(String table, String prefix) throws IptablesException {
    String saved = save(table);
    SortedSet<String> chains = SavedTable.chains(saved, prefix);
    List<String> jumpDeletes = new ArrayList<>();
    for (String line : (Iterable<String>) saved.lines()::iterator) {
      if (!line.startsWith("-A ")) {
        continue;
      }
      String chain = line.substring(3, line.indexOf(' ', 3));
      if (!chain.startsWith(prefix) && line.contains(" -j " + prefix)) {
        jumpDeletes.add("-D " + line.substring(3));
      }
    }
    if (chains.isEmpty() && jumpDeletes.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder("*").append(table).append('\n');
    chains.forEach(c -> text.append(':').append(c).append(" - [0:0]\n"));
    jumpDeletes.forEach(l -> text.append(l).append('\n'));
    chains.forEach(c -> text.append("-X ").append(c).append('\n'));
    text.append("COMMIT\n");
    restore(table, text.toString());
  }

  private int exitCode(List<String> command) throws IptablesException {
    try {
      return execute(command, null).exitCode;
    } catch (IOException e) {
      throw new IptablesException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
  }

  private String run(List<String> command, String stdin) throws IptablesException {
    Result result;
    try {
      result = execute(command, stdin);
    } catch (IOException e) {
      throw new IptablesException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    }
    if (result.exitCode != 0) {
      throw new IptablesException(String.join(" ", command) + " exited with " + result.exitCode + ": "
          + result.stderr.strip());
    }
    return result.stdout;
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result execute(List<String> command, String stdin) throws IOException {
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(command);
    Process process = new ProcessBuilder(argv).start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
      try (OutputStream out = process.getOutputStream()) {
        if (stdin != null) {
          out.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        // The process exited early; its exit code and stderr say why.
      }
    });
    String out = readAll(process.getInputStream());
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out after " + TIMEOUT_SECONDS + "s");
      }
      in.get();
      return new Result(process.exitValue(), out, err.get());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
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
