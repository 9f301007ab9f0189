package io.minik8s.cli;

import io.minik8s.client.codec.Manifest;
import io.minik8s.client.codec.ManifestDecoder;
import io.minik8s.client.codec.ManifestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the objects named by {@code -f} options: a file, a directory (its {@code *.yaml},
 * {@code *.yml} and {@code *.json} files, sorted by name, not recursive) or {@code -} for stdin.
 *
 * <p>All or nothing: every source is read and decoded, and if anything is wrong the result holds
 * every problem and no objects, so a command sends nothing at all.
 */
public final class ManifestSources {
  /** The name under which stdin's objects are reported, as kubectl does. */
  public static final String STDIN = "STDIN";

  private final InputStream stdin;
  private final ManifestDecoder decoder;

  public ManifestSources(InputStream stdin, ManifestDecoder decoder) {
    this.stdin = stdin;
    this.decoder = decoder;
  }

  /** What was read: the objects in source order, or the problems (one message each) when any. */
  public record Result(List<Manifest> manifests, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * @param sources the {@code -f} values in order
   * @param verb the command, for the "no objects passed to apply" message
   */
  public Result read(List<String> sources, String verb) {
    List<Manifest> manifests = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String source : sources) {
      for (String file : expand(source, problems)) {
        String text;
        try {
          text = file.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(file));
        } catch (IOException e) {
          problems.add("error reading \"" + file + "\": " + e.getMessage());
          continue;
        }
        try {
          manifests.addAll(decoder.decode(file.equals("-") ? STDIN : file, text));
        } catch (ManifestException e) {
          e.getMessage().lines().forEach(problems::add);
        }
      }
    }
    if (problems.isEmpty() && manifests.isEmpty()) {
      problems.add("no objects passed to " + verb);
    }
    return problems.isEmpty() ? new Result(manifests, List.of()) : new Result(List.of(), problems);
  }

  private static List<String> expand(String source, List<String> problems) {
    if (source.equals("-")) {
      return List.of("-");
    }
    Path path = Path.of(source);
    if (!Files.exists(path)) {
      problems.add("the path \"" + source + "\" does not exist");
      return List.of();
    }
    if (!Files.isDirectory(path)) {
      return List.of(source);
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.filter(Files::isRegularFile)
          .filter(p -> isManifestName(p.getFileName().toString()))
          .sorted()
          .map(Path::toString)
          .collect(Collectors.toList());
    } catch (IOException e) {
      problems.add("error reading directory \"" + source + "\": " + e.getMessage());
      return List.of();
    }
  }

  private static boolean isManifestName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }
}
