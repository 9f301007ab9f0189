package io.minik8s.apiserver.rest;

import com.google.protobuf.Message;
import io.minik8s.client.api.Kind;
import io.minik8s.client.printers.TablePrinter;
import io.minik8s.client.printers.TablePrinters;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Objects as a {@code meta.k8s.io/v1} Table, which is what {@code kubectl get} asks for
 * ({@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}) and prints: the columns of the kind's
 * {@link TablePrinter} (the ones mkctl prints), cells computed here against the server's clock (so AGE is
 * as old as the server says, like Kubernetes), and each row's object as asked by {@code includeObject}.
 *
 * <p>Every column is sent; the ones only {@code -o wide} shows have priority 1. Thread-safe.
 */
final class TableConverter {
  /** What each row carries besides its cells ({@code includeObject}). */
  enum IncludeObject {
    NONE, METADATA, OBJECT;

    /** Kubernetes' default is Metadata. */
    static IncludeObject parse(String value) {
      switch (value) {
        case "":
        case "Metadata":
          return METADATA;
        case "Object":
          return OBJECT;
        case "None":
          return NONE;
        default:
          throw io.minik8s.client.api.ApiException.badRequest("includeObject: Unsupported value: \"" + value
              + "\": supported values: \"Metadata\", \"None\", \"Object\"");
      }
    }
  }

  /**
   * How Kubernetes spells the column names that mkctl prints upper case (kubectl upper-cases them again);
   * the others are the header with each word capitalized.
   */
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("CLUSTER-IP", "Cluster-IP"), Map.entry("EXTERNAL-IP", "External-IP"),
      Map.entry("INTERNAL-IP", "Internal-IP"), Map.entry("PORT(S)", "Port(s)"),
      Map.entry("UP-TO-DATE", "Up-to-date"), Map.entry("OS-IMAGE", "OS-Image"), Map.entry("IP", "IP"),
      Map.entry("KERNEL-VERSION", "Kernel-Version"), Map.entry("CONTAINER-RUNTIME", "Container-Runtime"));

  private final Clock clock;
  private final ObjectJson json;

  TableConverter(Clock clock, ObjectJson json) {
    this.clock = clock;
    this.json = json;
  }

  /**
   * The Table of {@code objects}.
   *
   * @param resourceVersion the list's resourceVersion; empty for one object or a watch event
   */
  <T extends Message> Map<String, Object> table(Kind<T> kind, List<T> objects, String resourceVersion,
      String continueToken, IncludeObject include) {
    TablePrinter<T> printer = TablePrinters.forKind(kind, clock);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", "Table");
    out.put("apiVersion", "meta.k8s.io/v1");
    Map<String, Object> meta = new LinkedHashMap<>();
    if (!resourceVersion.isEmpty()) {
      meta.put("resourceVersion", resourceVersion);
    }
    if (continueToken != null && !continueToken.isEmpty()) {
      meta.put("continue", continueToken);
    }
    out.put("metadata", meta);
    out.put("columnDefinitions", columns(printer));
    List<Object> rows = new ArrayList<>(objects.size());
    for (T object : objects) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("cells", new ArrayList<Object>(printer.row(object, true)));
      if (include == IncludeObject.OBJECT) {
        row.put("object", json.object(object));
      } else if (include == IncludeObject.METADATA) {
        Map<String, Object> partial = new LinkedHashMap<>();
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.put("metadata", json.fields(kind.metadata(object)));
        row.put("object", partial);
      }
      rows.add(row);
    }
    out.put("rows", rows);
    return out;
  }

  private static List<Object> columns(TablePrinter<?> printer) {
    Set<String> narrow = new HashSet<>(printer.columns(false));
    List<Object> out = new ArrayList<>();
    for (String header : printer.columns(true)) {
      Map<String, Object> column = new LinkedHashMap<>();
      column.put("name", columnName(header));
      column.put("type", "string");
      column.put("format", header.equals("NAME") ? "name" : "");
      column.put("description", "");
      column.put("priority", narrow.contains(header) ? 0 : 1);
      out.add(column);
    }
    return out;
  }

  /** {@code NOMINATED NODE} → {@code Nominated Node}, {@code CLUSTER-IP} → {@code Cluster-IP}. */
  static String columnName(String header) {
    String known = NAMES.get(header);
    if (known != null) {
      return known;
    }
    StringBuilder out = new StringBuilder(header.length());
    boolean wordStart = true;
    for (char c : header.toCharArray()) {
      out.append(wordStart ? c : Character.toLowerCase(c));
      wordStart = c == ' ';
    }
    return out.toString();
  }

  /** Whether an Accept header asks for a Table (kubectl lists it first, JSON last). */
  static boolean wanted(String accept) {
    for (String range : accept.split(",")) {
      String r = range.toLowerCase(Locale.ROOT).replace(" ", "");
      if (r.startsWith("application/json") && r.contains(";as=table") && r.contains(";g=meta.k8s.io")) {
        return true;
      }
    }
    return false;
  }
}
