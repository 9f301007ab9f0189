package io.minik8s.client.codec;

import com.google.protobuf.Message;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads Kubernetes manifests (YAML or JSON; JSON is YAML) into API objects.
 *
 * <p>A text may hold several documents separated by {@code ---}; empty ones are skipped and a
 * {@code kind: List} expands into its {@code items}. Each object's {@code apiVersion} and
 * {@code kind} choose its {@link Kind}; the rest is read field by field from the message's
 * descriptor (see the package documentation for the rules).
 *
 * <p>Decoding is all or nothing: every problem of every document is collected, with its line,
 * document and field path, and if there is any, one {@link ManifestException} carries them all.
 * Stateless and thread-safe.
 */
public final class ManifestDecoder {
  private static final String API_VERSION = "apiVersion";
  private static final String KIND = "kind";
  private static final String LIST_KIND = "List";
  private static final String LIST_API_VERSION = "v1";
  private static final Set<String> TYPE_KEYS = Set.of(API_VERSION, KIND);
  private static final String SERVED = Kinds.all().stream()
      .map(k -> k.apiVersion() + " " + k.kind())
      .collect(Collectors.joining(", ", "minik8s serves: ", ", and v1 List"));

  /**
   * Decodes every object in {@code text}, in document order.
   *
   * @param sourceName how problems name the text, usually its file name
   * @throws ManifestException listing every problem found
   */
  public List<Manifest> decode(String sourceName, String text) {
    Problems problems = new Problems(sourceName);
    List<Manifest> manifests = new ArrayList<>();
    Iterator<Node> documents = newYaml().composeAll(new StringReader(text)).iterator();
    int number = 0;
    while (true) {
      problems.startDocument(number + 1);
      Node document;
      try {
        if (!documents.hasNext()) {
          break;
        }
        document = documents.next();
      } catch (YAMLException e) {
        // The YAML parser cannot resume after a syntax error: later documents are not read.
        addSyntaxProblem(problems, e);
        break;
      }
      number++;
      if (!YamlMessageReader.isNull(document)) {
        decodeObject(document, FieldPath.root(), null, true, problems, number, manifests);
      }
    }
    problems.throwIfAny();
    return manifests;
  }

  /**
   * Decodes one object of a known kind, as a request body carries it. {@code apiVersion} and
   * {@code kind} may be left out; when present they must be {@code kind}'s.
   *
   * @throws ManifestException listing every problem found
   */
  public <T extends Message> T decode(Kind<T> kind, String json) {
    return decode(kind, "<input>", json);
  }

  /** As {@link #decode(Kind, String)}, naming the text {@code sourceName} in problems. */
  public <T extends Message> T decode(Kind<T> kind, String sourceName, String text) {
    Problems problems = new Problems(sourceName);
    problems.startDocument(1);
    List<Manifest> decoded = new ArrayList<>(1);
    try {
      Node document = newYaml().compose(new StringReader(text));
      if (document == null || YamlMessageReader.isNull(document)) {
        problems.add(0, "", "empty document: expected a " + kind.kind());
      } else {
        decodeObject(document, FieldPath.root(), kind, false, problems, 1, decoded);
      }
    } catch (YAMLException e) {
      addSyntaxProblem(problems, e);
    }
    problems.throwIfAny();
    return kind.type().cast(decoded.get(0).object());
  }

  /**
   * Decodes one object (a document, or an item of a List) into {@code out}, or reports why not.
   *
   * @param expected the kind the caller requires, or null to take it from the object
   */
  private void decodeObject(Node node, FieldPath path, Kind<?> expected, boolean listAllowed,
      Problems problems, int document, List<Manifest> out) {
    if (!(node instanceof MappingNode mapping)) {
      problems.add(node, path, "expected a Kubernetes object (a mapping with apiVersion and kind), got "
          + YamlMessageReader.describe(node));
      return;
    }
    NodeTuple apiVersionEntry = entry(mapping, API_VERSION);
    NodeTuple kindEntry = entry(mapping, KIND);
    int before = problems.count();
    String apiVersion = typeName(apiVersionEntry, path.field(API_VERSION), problems);
    String kindName = typeName(kindEntry, path.field(KIND), problems);
    if (problems.count() > before) {
      return;
    }
    if (LIST_KIND.equals(kindName) && expected == null) {
      if (listAllowed) {
        decodeList(mapping, path, apiVersion, problems, document, out);
      } else {
        problems.add(kindEntry.getValueNode(), path.field(KIND), "a List cannot hold another List");
      }
      return;
    }
    Node apiVersionAt = apiVersionEntry == null ? mapping : apiVersionEntry.getValueNode();
    Node kindAt = kindEntry == null ? mapping : kindEntry.getValueNode();
    Kind<?> kind = resolveKind(apiVersionAt, kindAt, path, apiVersion, kindName, expected, problems);
    if (kind == null) {
      return;
    }
    Message.Builder builder = kind.defaultInstance().newBuilderForType();
    before = problems.count();
    new YamlMessageReader(problems).readFields(mapping, builder, path, TYPE_KEYS);
    if (problems.count() == before) {
      out.add(new Manifest(kind, builder.build(), problems.source(), document, line(node)));
    }
  }

  /** The kind named by {@code apiVersion} and {@code kind}, or null after reporting why there is none. */
  private static Kind<?> resolveKind(Node apiVersionAt, Node kindAt, FieldPath path, String apiVersion,
      String kindName, Kind<?> expected, Problems problems) {
    if (expected != null) {
      boolean ok = true;
      if (kindName != null && !kindName.equals(expected.kind())) {
        problems.add(kindAt, path.field(KIND), "expected " + expected.kind() + ", got \"" + kindName + "\"");
        ok = false;
      }
      if (apiVersion != null && !apiVersion.equals(expected.apiVersion())) {
        problems.add(apiVersionAt, path.field(API_VERSION),
            expected.kind() + " is served as " + expected.apiVersion() + ", not \"" + apiVersion + "\"");
        ok = false;
      }
      return ok ? expected : null;
    }
    if (kindName == null) {
      problems.add(kindAt, path.field(KIND), "missing (" + SERVED + ")");
      if (apiVersion == null) {
        problems.add(apiVersionAt, path.field(API_VERSION), "missing");
      }
      return null;
    }
    Optional<Kind<?>> known = Kinds.all().stream().filter(k -> k.kind().equals(kindName)).findFirst();
    if (known.isEmpty()) {
      Optional<Kind<?>> similar = Kinds.all().stream().filter(k -> k.kind().equalsIgnoreCase(kindName)).findFirst();
      problems.add(kindAt, path.field(KIND), "unknown kind \"" + kindName + "\""
          + similar.map(k -> " (did you mean \"" + k.kind() + "\"?)").orElse("") + "; " + SERVED);
      return null;
    }
    Kind<?> kind = known.get();
    if (apiVersion == null) {
      problems.add(apiVersionAt, path.field(API_VERSION), "missing (" + kind.kind() + " is served as " + kind.apiVersion() + ")");
      return null;
    }
    return Kinds.byApiVersionAndKind(apiVersion, kindName).orElseGet(() -> {
      problems.add(apiVersionAt, path.field(API_VERSION),
          kind.kind() + " is served as " + kind.apiVersion() + ", not \"" + apiVersion + "\"");
      return null;
    });
  }

  /**
   * A {@code kind: List} (what {@code kubectl get -o yaml} prints for several objects): its items are
   * decoded as if they were documents of their own; its {@code metadata} (a ListMeta) is ignored.
   */
  private void decodeList(MappingNode node, FieldPath path, String apiVersion, Problems problems, int document,
      List<Manifest> out) {
    if (!LIST_API_VERSION.equals(apiVersion)) {
      problems.add(node, path.field(API_VERSION), apiVersion == null ? "missing (List is served as v1)"
          : "List is served as v1, not \"" + apiVersion + "\"");
    }
    for (NodeTuple tuple : node.getValue()) {
      String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
      if (key.equals("items")) {
        Node items = tuple.getValueNode();
        if (items instanceof SequenceNode sequence) {
          int i = 0;
          for (Node item : sequence.getValue()) {
            decodeObject(item, path.field("items").index(i++), null, false, problems, document, out);
          }
        } else if (!YamlMessageReader.isNull(items)) {
          problems.add(items, path.field("items"), "expected array, got " + YamlMessageReader.describe(items));
        }
      } else if (!key.equals("metadata") && !TYPE_KEYS.contains(key)) {
        problems.add(tuple.getKeyNode(), path.field(key), "unknown field");
      }
    }
  }

  /** The string value of {@code apiVersion} or {@code kind}, or null when absent, null or not a string. */
  private static String typeName(NodeTuple entry, FieldPath path, Problems problems) {
    if (entry == null || YamlMessageReader.isNull(entry.getValueNode())) {
      return null;
    }
    Node value = entry.getValueNode();
    if (YamlMessageReader.isStringLike(value)) {
      return ((ScalarNode) value).getValue();
    }
    problems.add(value, path, "expected string, got " + YamlMessageReader.describe(value));
    return null;
  }

  private static NodeTuple entry(MappingNode node, String key) {
    for (NodeTuple tuple : node.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode scalar && scalar.getValue().equals(key)) {
        return tuple;
      }
    }
    return null;
  }

  private static void addSyntaxProblem(Problems problems, YAMLException e) {
    if (e instanceof MarkedYAMLException marked) {
      Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
      String context = marked.getContext() == null ? "" : marked.getContext() + ": ";
      problems.add(mark == null ? 0 : mark.getLine() + 1, "", "invalid YAML: " + context + marked.getProblem());
    } else {
      problems.add(0, "", "invalid YAML: " + e.getMessage());
    }
  }

  private static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /** SnakeYAML's Yaml is not thread-safe, and cheap enough to make per call. */
  private static Yaml newYaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowRecursiveKeys(false);
    return new Yaml(options);
  }
}
