package io.minik8s.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time (user + system) a process has used so far, from {@code /proc/<pid>/stat}; Linux only. */
final class ProcessCpu {
  /** The kernel's USER_HZ: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessCpu() {}

  /** Seconds of CPU used by {@code pid} so far; NaN when it cannot be read. */
  static double seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
