package io.minik8s.apiserver.rest.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON patch ({@code application/json-patch+json}), what {@code kubectl rollout undo} and
 * {@code kubectl patch --type json} send: a list of {@code add}, {@code remove}, {@code replace},
 * {@code move}, {@code copy} and {@code test} operations on RFC 6901 pointers, applied in order, all or
 * nothing. Pure and thread-safe.
 */
public final class JsonPatch {
  private JsonPatch() {}

  /**
   * The patched document; {@code target} is not modified.
   *
   * @throws PatchException malformed (not a list, unknown op, missing member) or not applicable (a path
   *     that does not exist, a failed test)
   */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw new PatchException("a JSON patch must be a list of operations, got " + patch.getNodeType());
    }
    JsonNode doc = target.deepCopy();
    int index = 0;
    for (JsonNode op : patch) {
      doc = applyOne(doc, op, index++);
    }
    return doc;
  }

  private static JsonNode applyOne(JsonNode doc, JsonNode op, int index) {
    String name = member(op, "op", index).asText();
    List<String> path = pointer(member(op, "path", index).asText(), index);
    switch (name) {
      case "add":
        return add(doc, path, member(op, "value", index).deepCopy(), index);
      case "remove":
        remove(doc, path, index);
        return doc;
      case "replace": {
        JsonNode value = member(op, "value", index).deepCopy();
        if (path.isEmpty()) {
          return value;
        }
        get(doc, path, index);
        remove(doc, path, index);
        return add(doc, path, value, index);
      }
      case "move": {
        List<String> from = pointer(member(op, "from", index).asText(), index);
        if (path.size() > from.size() && path.subList(0, from.size()).equals(from)) {
          throw new PatchException("operation " + index + ": cannot move a value into itself");
        }
        JsonNode value = get(doc, from, index);
        remove(doc, from, index);
        return add(doc, path, value, index);
      }
      case "copy":
        return add(doc, path, get(doc, pointer(member(op, "from", index).asText(), index), index).deepCopy(), index);
      case "test": {
        JsonNode actual = get(doc, path, index);
        if (!StrategicMergePatch.sameValue(actual, member(op, "value", index))) {
          throw new PatchException("operation " + index + ": test failed: the value at "
              + op.get("path").asText() + " is " + actual, false);
        }
        return doc;
      }
      default:
        throw new PatchException("operation " + index + ": unknown op \"" + name + "\"");
    }
  }

  private static JsonNode add(JsonNode doc, List<String> path, JsonNode value, int index) {
    if (path.isEmpty()) {
      return value;
    }
    JsonNode parent = get(doc, path.subList(0, path.size() - 1), index);
    String last = path.get(path.size() - 1);
    if (parent.isObject()) {
      ((ObjectNode) parent).set(last, value);
    } else if (parent.isArray()) {
      ArrayNode array = (ArrayNode) parent;
      if (last.equals("-")) {
        array.add(value);
      } else {
        int at = arrayIndex(last, array.size(), index);
        array.insert(at, value);
      }
    } else {
      throw notFound(path, index);
    }
    return doc;
  }

  private static void remove(JsonNode doc, List<String> path, int index) {
    if (path.isEmpty()) {
      throw new PatchException("operation " + index + ": cannot remove the whole document", false);
    }
    JsonNode parent = get(doc, path.subList(0, path.size() - 1), index);
    String last = path.get(path.size() - 1);
    if (parent.isObject() && parent.has(last)) {
      ((ObjectNode) parent).remove(last);
    } else if (parent.isArray()) {
      ((ArrayNode) parent).remove(arrayIndex(last, parent.size() - 1, index));
    } else {
      throw notFound(path, index);
    }
  }

  private static JsonNode get(JsonNode doc, List<String> path, int index) {
    JsonNode node = doc;
    for (String token : path) {
      if (node.isObject() && node.has(token)) {
        node = node.get(token);
      } else if (node.isArray()) {
        node = node.get(arrayIndex(token, node.size() - 1, index));
      } else {
        throw notFound(path, index);
      }
    }
    return node;
  }

  /** An index within {@code [0, max]}. */
  private static int arrayIndex(String token, int max, int index) {
    if (!token.matches("0|[1-9][0-9]{0,8}")) {
      throw new PatchException("operation " + index + ": \"" + token + "\" is not an array index", false);
    }
    int at = Integer.parseInt(token);
    if (at > max) {
      throw new PatchException("operation " + index + ": index " + at + " is out of range", false);
    }
    return at;
  }

  private static PatchException notFound(List<String> path, int index) {
    return new PatchException("operation " + index + ": the path /" + String.join("/", path) + " does not exist",
        false);
  }

  private static JsonNode member(JsonNode op, String name, int index) {
    if (!op.isObject() || !op.has(name)) {
      throw new PatchException("operation " + index + ": missing \"" + name + "\"");
    }
    return op.get(name);
  }

  /** RFC 6901: {@code /a/b~1c} is {@code [a, b/c]}; {@code ""} is the whole document. */
  static List<String> pointer(String text, int index) {
    List<String> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    if (!text.startsWith("/")) {
      throw new PatchException("operation " + index + ": \"" + text + "\" is not a JSON pointer");
    }
    for (String token : text.substring(1).split("/", -1)) {
      out.add(token.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }
}
