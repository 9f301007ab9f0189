package io.minik8s.cli;

import com.google.protobuf.Message;
import io.minik8s.client.printers.Cells;
import io.minik8s.cli.printers.TabWriter;
import io.minik8s.client.printers.TablePrinter;
import io.minik8s.client.api.Kind;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One table of {@code get}: a kind's columns plus what the command line adds (NAMESPACE first for
 * {@code -A}, {@code kind/} before names when several kinds are shown, LABELS last for
 * {@code --show-labels}), aligned by a {@link TabWriter} that remembers its widths, so rows printed
 * later (by {@code -w}) line up under the header. The header is printed with the first row.
 *
 * <p>Not thread-safe.
 */
final class TableOutput<T extends Message> {
  /** What the command line adds to a kind's own columns. */
  record Options(boolean wide, boolean withNamespace, boolean withKind, boolean showLabels, boolean headers) {}

  private final Kind<T> kind;
  private final TablePrinter<T> printer;
  private final Options options;
  private final PrintStream out;
  private final TabWriter tabs = TabWriter.forTables();
  private boolean headerPrinted;

  TableOutput(Kind<T> kind, TablePrinter<T> printer, Options options, PrintStream out) {
    this.kind = kind;
    this.printer = printer;
    this.options = options;
    this.out = out;
  }

  /** Prints rows (and the header, before the first row ever printed). */
  void print(List<T> objects) {
    List<List<String>> rows = new ArrayList<>();
    if (!headerPrinted && options.headers() && !objects.isEmpty()) {
      rows.add(header());
    }
    for (T object : objects) {
      rows.add(row(object));
    }
    if (!objects.isEmpty()) {
      headerPrinted = true;
    }
    for (String line : tabs.formatRows(rows)) {
      out.println(line);
    }
    out.flush();
  }

  private List<String> header() {
    List<String> header = new ArrayList<>();
    if (options.withNamespace()) {
      header.add("NAMESPACE");
    }
    header.addAll(printer.columns(options.wide()));
    if (options.showLabels()) {
      header.add("LABELS");
    }
    return header;
  }

  private List<String> row(T object) {
    List<String> row = new ArrayList<>();
    if (options.withNamespace()) {
      row.add(kind.metadata(object).getNamespace());
    }
    List<String> cells = new ArrayList<>(printer.row(object, options.wide()));
    if (options.withKind() && printer.columns(false).get(0).equals("NAME")) {
      cells.set(0, ResourceRef.typeName(kind) + "/" + cells.get(0));
    }
    row.addAll(cells);
    if (options.showLabels()) {
      row.add(Cells.labels(kind.metadata(object).getLabelsMap()));
    }
    return row;
  }
}
