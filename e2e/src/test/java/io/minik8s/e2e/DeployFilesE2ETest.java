package io.minik8s.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.minik8s.testkit.Cluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment shapes that no test can start here (no Docker engine, no systemd as PID 1), checked
 * statically against the built jars: the systemd units pass {@code systemd-analyze verify}, the
 * compose file parses and is consistent, and every command either names runs a file that exists with
 * flags that the component's {@code --help} lists.
 */
class DeployFilesE2ETest {
  private static final Path ROOT = Cluster.ROOT;
  private static final String PREFIX = "/opt/minik8s/";
  private static final Pattern FLAG = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");
  private static final Map<String, Set<String>> HELP = new HashMap<>();

  @Test
  void systemdUnitsVerifyAndUseOnlyFlagsTheirComponentsKnow() throws Exception {
    Path units = ROOT.resolve("deploy/systemd");
    List<Path> files;
    try (Stream<Path> s = Files.list(units)) {
      files = s.filter(p -> p.toString().endsWith(".service")).sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("minik8s-etcd.service",
        "minik8s-apiserver.service", "minik8s-scheduler.service", "minik8s-controller-manager.service",
        "minik8s-dns.service", "minik8s-containerd.service", "minik8s-kubelet.service", "minik8s-kube-proxy.service");

    Set<String> envKeys = envKeys(units.resolve("minik8s.env.example"));
    Path copies = Files.createTempDirectory("units");
    Path env = Files.writeString(copies.resolve("minik8s.env"), "");
    for (Path unit : files) {
      String text = Files.readString(unit);
      assertThat(text).as(unit + " restarts on failure").containsPattern("(?m)^Restart=(always|on-failure)$");
      String exec = execStart(text);
      checkCommand(unit.getFileName().toString(), tokens(exec));
      Matcher vars = Pattern.compile("\\$\\{?([A-Z_]+)\\}?").matcher(exec);
      while (vars.find()) {
        assertThat(envKeys).as(unit + " uses $" + vars.group(1) + ", which minik8s.env.example must define")
            .contains(vars.group(1));
      }
      Files.writeString(copies.resolve(unit.getFileName()), text.replace(PREFIX, ROOT + "/")
          .replace("EnvironmentFile=/etc/minik8s/minik8s.env", "EnvironmentFile=" + env));
    }
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeThat(Files.isExecutable(analyze)).as("systemd-analyze is installed").isTrue();
    List<String> verify = new ArrayList<>(List.of(analyze.toString(), "verify", "--man=no"));
    try (Stream<Path> s = Files.list(copies)) {
      s.filter(p -> p.toString().endsWith(".service")).sorted().forEach(p -> verify.add(p.toString()));
    }
    Result r = run(verify);
    assertThat(r.exit).as("systemd-analyze verify:\n" + r.output).isZero();
    assertThat(r.output).as("systemd-analyze verify warnings").doesNotContainIgnoringCase("ignoring");
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeFileIsConsistentWithItsImageAndTheJars() throws Exception {
    Path dir = ROOT.resolve("deploy/compose");
    Map<String, Object> compose = new Yaml().load(Files.readString(dir.resolve("docker-compose.yml")));
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    assertThat(services).containsKeys("etcd", "apiserver", "scheduler", "controller-manager", "dns", "node1", "node2");
    Set<String> volumes = ((Map<String, Object>) compose.get("volumes")).keySet();
    Map<String, Object> networks = (Map<String, Object>) compose.get("networks");
    String subnet = (String) ((Map<String, Object>) ((List<Object>) ((Map<String, Object>) ((Map<String, Object>)
        networks.get("minik8s")).get("ipam")).get("config")).get(0)).get("subnet");

    Set<String> addresses = new HashSet<>();
    Set<String> hostPorts = new HashSet<>();
    for (var e : services.entrySet()) {
      String name = e.getKey();
      Map<String, Object> svc = e.getValue();
      Map<String, Object> build = (Map<String, Object>) svc.get("build");
      assertThat(build).as(name + " is built from the repo").isNotNull();
      Path context = dir.resolve((String) build.get("context")).normalize();
      assertThat(context).isEqualTo(ROOT);
      checkDockerfile(context, context.resolve((String) build.get("dockerfile")));

      List<String> command = (List<String>) svc.get("command");
      assertThat(command).as(name + " has a command").isNotEmpty();
      checkCommand("compose service " + name, command);
      if (command.get(0).endsWith("/node.sh")) {
        checkNodeScript(name, (Map<String, Object>) svc.get("environment"));
      }
      for (Object dep : (List<Object>) svc.getOrDefault("depends_on", List.of())) {
        assertThat(services).as(name + " depends on " + dep).containsKey((String) dep);
      }
      for (Object v : (List<Object>) svc.getOrDefault("volumes", List.of())) {
        String source = ((String) v).split(":")[0];
        if (!source.startsWith("/")) {
          assertThat(volumes).as(name + " mounts volume " + source).contains(source);
        }
      }
      for (Object p : (List<Object>) svc.getOrDefault("ports", List.of())) {
        String[] parts = ((String) p).split(":");
        assertThat(hostPorts.add(parts[0])).as("host port " + parts[0] + " published twice").isTrue();
        assertThat(String.join(" ", command)).as(name + " listens on the port it publishes").contains(parts[1]);
      }
      Object nets = svc.get("networks");
      if (nets instanceof Map<?, ?> m && m.get("minik8s") instanceof Map<?, ?> cfg && cfg.get("ipv4_address") != null) {
        String ip = (String) cfg.get("ipv4_address");
        assertThat(inSubnet(ip, subnet)).as(name + "'s " + ip + " is in " + subnet).isTrue();
        assertThat(addresses.add(ip)).as(ip + " given twice").isTrue();
      }
      // host:port arguments naming another service must name a port that service listens on
      for (String arg : command) {
        Matcher m = Pattern.compile("(?:http://)?([a-z][a-z0-9-]*):(\\d+)").matcher(arg);
        while (m.find()) {
          if (services.containsKey(m.group(1))) {
            List<String> target = (List<String>) services.get(m.group(1)).get("command");
            assertThat(String.join(" ", target)).as(name + " reaches " + m.group() + ": does it listen there?")
                .containsPattern("(^|[ :,])" + m.group(2) + "($|[ ,/])");
          }
        }
      }
      // the IP a component advertises is the one compose gives it
      int adv = command.indexOf("--advertise-address");
      if (adv >= 0) {
        assertThat(addresses).as(name + " advertises " + command.get(adv + 1)).contains(command.get(adv + 1));
      }
    }
  }

  private static void checkNodeScript(String service, Map<String, Object> environment) throws Exception {
    Path script = ROOT.resolve("deploy/compose/node.sh");
    Result syntax = run(List.of("bash", "-n", script.toString()));
    assertThat(syntax.exit).as("bash -n node.sh: " + syntax.output).isZero();
    String text = Files.readString(script);
    Matcher invocation = Pattern.compile("(/opt/minik8s/\\S+)((?:[^\\n]*\\\\\\n)*[^\\n]*)").matcher(text);
    while (invocation.find()) {
      checkCommand("node.sh", tokens(invocation.group(1) + " " + invocation.group(2).replace("\\\n", " ")));
    }
    Matcher header = Pattern.compile("# Environment: ([^\\n]*(?:\\n# [^\\n]*)*)").matcher(text);
    assertThat(header.find()).as("node.sh documents its environment").isTrue();
    Matcher names = Pattern.compile("[A-Z][A-Z_]+").matcher(header.group(1));
    while (names.find()) {
      assertThat(environment).as(service + " sets " + names.group() + " for node.sh").containsKey(names.group());
    }
  }

  private static void checkDockerfile(Path context, Path dockerfile) throws IOException {
    for (String line : Files.readAllLines(dockerfile)) {
      if (line.startsWith("COPY ")) {
        String source = line.split("\\s+")[1];
        assertThat(context.resolve(source)).as(dockerfile + ": " + line).exists();
      }
    }
  }

  /** The command's program exists, and each --flag is one the program's --help lists. */
  private static void checkCommand(String where, List<String> command) throws Exception {
    String program = command.get(0);
    Path file = program.startsWith(PREFIX) ? ROOT.resolve(program.substring(PREFIX.length()))
        : Path.of("/usr/bin", program.replaceFirst("^/usr/bin/", ""));
    assertThat(file).as(where + " runs " + program).exists();
    if (file.toString().endsWith(".sh")) {
      return;
    }
    Set<String> known = HELP.computeIfAbsent(file.toString(), f -> {
      try {
        Result help = run(List.of(f, "--help"));
        Set<String> flags = new HashSet<>();
        Matcher m = FLAG.matcher(help.output);
        while (m.find()) {
          flags.add(m.group(1));
        }
        return flags;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(known).as(program + " --help lists flags").isNotEmpty();
    for (String token : command.subList(1, command.size())) {
      Matcher m = Pattern.compile("^(--[a-z][a-z0-9-]*)(=.*)?$").matcher(token);
      if (m.matches()) {
        assertThat(known).as(where + ": " + program + " has no flag " + m.group(1)).contains(m.group(1));
      }
    }
  }

  private static String execStart(String unit) {
    Matcher m = Pattern.compile("(?m)^ExecStart=((?:[^\\n]*\\\\\\n)*[^\\n]*)").matcher(unit);
    assertThat(m.find()).as("an ExecStart line").isTrue();
    return m.group(1).replace("\\\n", " ");
  }

  private static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    for (String t : line.trim().split("\\s+")) {
      out.add(t.replace("\"", ""));
    }
    return out;
  }

  private static Set<String> envKeys(Path file) throws IOException {
    Set<String> keys = new HashSet<>();
    for (String line : Files.readAllLines(file)) {
      Matcher m = Pattern.compile("^([A-Z_]+)=").matcher(line);
      if (m.find()) {
        keys.add(m.group(1));
      }
    }
    return keys;
  }

  private static boolean inSubnet(String ip, String cidr) {
    String[] parts = cidr.split("/");
    int bits = Integer.parseInt(parts[1]);
    long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    return (toLong(ip) & mask) == (toLong(parts[0]) & mask);
  }

  private static long toLong(String ip) {
    long v = 0;
    for (String octet : ip.split("\\.")) {
      v = (v << 8) | Integer.parseInt(octet);
    }
    return v;
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " did not finish");
    }
    return new Result(p.exitValue(), out);
  }
}
