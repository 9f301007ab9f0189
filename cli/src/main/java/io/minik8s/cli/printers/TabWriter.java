package io.minik8s.cli.printers;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns tab-separated cells into columns exactly as Go's {@code text/tabwriter} (which kubectl
 * prints through) does with space padding.
 *
 * <p>A line is a list of cells separated by {@code \t}; the last cell of a line is not part of a
 * column and is never padded. A column is a run of consecutive lines that all have a cell in it:
 * its width is the widest such cell plus {@code padding}, and at least {@code minWidth}. Columns
 * nest, so a line without tabs ends every column above it.
 *
 * <p>With {@code rememberWidths}, widths never shrink from one {@link #format} call to the next,
 * which keeps the rows of {@code get -w} aligned under the header printed before them.
 *
 * <p>Not thread-safe.
 */
public final class TabWriter {
  private final int minWidth;
  private final int padding;
  private final boolean rememberWidths;
  private final List<Integer> maxWidths = new ArrayList<>();

  public TabWriter(int minWidth, int padding, boolean rememberWidths) {
    this.minWidth = minWidth;
    this.padding = padding;
    this.rememberWidths = rememberWidths;
  }

  /** kubectl get's tables: minimum width 6, three spaces between columns, widths remembered. */
  public static TabWriter forTables() {
    return new TabWriter(6, 3, true);
  }

  /** kubectl describe's sections: two spaces between columns. */
  public static TabWriter forDescribe() {
    return new TabWriter(0, 2, false);
  }

  /** Aligns {@code text} (lines separated by {@code \n}); the result ends with a newline when the input does. */
  public String format(String text) {
    boolean trailingNewline = text.endsWith("\n");
    String body = trailingNewline ? text.substring(0, text.length() - 1) : text;
    List<String[]> lines = new ArrayList<>();
    for (String line : body.split("\n", -1)) {
      lines.add(line.split("\t", -1));
    }
    if (text.isEmpty()) {
      return "";
    }
    int[][] widths = new int[lines.size()][];
    layout(lines, widths, 0, lines.size(), new ArrayList<>());
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      String[] cells = lines.get(i);
      for (int c = 0; c < cells.length; c++) {
        out.append(cells[c]);
        if (c < cells.length - 1) {
          out.append(" ".repeat(Math.max(0, widths[i][c] - width(cells[c]))));
        }
      }
      if (i < lines.size() - 1 || trailingNewline) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** Aligns rows of cells (one line each, no tabs inside cells). */
  public List<String> formatRows(List<List<String>> rows) {
    StringBuilder text = new StringBuilder();
    for (List<String> row : rows) {
      text.append(String.join("\t", row)).append('\n');
    }
    String formatted = format(text.toString());
    return formatted.isEmpty() ? List.of() : List.of(formatted.substring(0, formatted.length() - 1).split("\n", -1));
  }

  /**
   * Go's tabwriter.format: every line in [from, to) gets the widths of its columns; lines with a
   * cell in column {@code widthsAbove.size()} form blocks whose width is fixed here, then recursed into.
   */
  private void layout(List<String[]> lines, int[][] out, int from, int to, List<Integer> widthsAbove) {
    int column = widthsAbove.size();
    int current = from;
    while (current < to) {
      if (column >= lines.get(current).length - 1) {
        out[current] = widthsAbove.stream().mapToInt(Integer::intValue).toArray();
        current++;
        continue;
      }
      int blockStart = current;
      int width = minWidth;
      while (current < to && column < lines.get(current).length - 1) {
        width = Math.max(width, width(lines.get(current)[column]) + padding);
        current++;
      }
      if (rememberWidths) {
        while (maxWidths.size() <= column) {
          maxWidths.add(0);
        }
        width = Math.max(width, maxWidths.get(column));
        maxWidths.set(column, width);
      }
      widthsAbove.add(width);
      layout(lines, out, blockStart, current, widthsAbove);
      widthsAbove.remove(widthsAbove.size() - 1);
    }
  }

  private static int width(String cell) {
    return cell.codePointCount(0, cell.length());
  }
}
