package io.minik8s.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code nameserver} lines of a resolv.conf: the default upstream resolvers. */
final class ResolvConf {
  private ResolvConf() {}

  /** The nameservers listed in {@code file}, as {@code host:53}; empty when it cannot be read. */
  static List<String> nameservers(Path file) {
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String[] words = line.trim().split("\\s+");
        if (words.length >= 2 && words[0].equals("nameserver")) {
          out.add(words[1].contains(":") ? "[" + words[1] + "]:53" : words[1] + ":53");
        }
      }
    } catch (IOException e) {
      // no resolv.conf: the caller must be told upstreams explicitly
    }
    return out;
  }
}
