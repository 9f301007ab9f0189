package io.minik8s.cli.describe;

import io.minik8s.cli.printers.TabWriter;

/**
 * kubectl describe's writer: lines at an indentation level (two spaces per level) whose
 * tab-separated cells are aligned when the text is rendered ({@link TabWriter#forDescribe()}).
 *
 * <p>Not thread-safe; one per description.
 */
public final class DescribeWriter {
  private final StringBuilder text = new StringBuilder();

  /** Writes one line: {@code "  ".repeat(level)}, then the cells joined by tabs. */
  public DescribeWriter line(int level, String... cells) {
    text.append("  ".repeat(level)).append(String.join("\t", cells)).append('\n');
    return this;
  }

  /** Writes raw text (may hold tabs and newlines), at the given level for its first line only. */
  public DescribeWriter raw(int level, String s) {
    text.append("  ".repeat(level)).append(s);
    return this;
  }

  /** The aligned description. */
  public String render() {
    return TabWriter.forDescribe().format(text.toString());
  }
}
