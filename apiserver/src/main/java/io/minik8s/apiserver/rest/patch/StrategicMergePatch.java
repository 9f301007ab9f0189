package io.minik8s.apiserver.rest.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' strategic merge patch ({@code application/strategic-merge-patch+json}), what
 * {@code kubectl apply}, {@code edit}, {@code rollout restart} and {@code patch} send: a JSON merge patch
 * whose lists follow each field's {@link PatchStrategy} instead of being replaced whole, plus the
 * directives kubectl writes:
 * <ul>
 *   <li>{@code $patch: replace} in a map (the map replaces the original) or as a list element (the list
 *       replaces the original); {@code $patch: delete} in a map (the map goes) or in a keyed list element
 *       (that element goes);
 *   <li>{@code $retainKeys: [...]} in a map: keys not listed are dropped after merging;
 *   <li>{@code $setElementOrder/<field>: [...]}: the listed elements come first, in that order;
 *   <li>{@code $deleteFromPrimitiveList/<field>: [...]}: those values leave a list of scalars.
 * </ul>
 * A null value deletes a key. The walk follows the object's protobuf descriptor to know each field's
 * strategy; maps (labels, annotations) merge key by key; IntOrString and times are scalars.
 *
 * <p>Pure: the inputs are not modified. Thread-safe.
 */
public final class StrategicMergePatch {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String SET_ELEMENT_ORDER = "$setElementOrder/";
  private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

  private StrategicMergePatch() {}

  /**
   * Applies {@code patch} to {@code original}, an object of {@code type}.
   *
   * @throws PatchException when the patch is not an object or a directive is malformed
   */
  public static ObjectNode apply(ObjectNode original, JsonNode patch, Descriptor type) {
    if (!patch.isObject()) {
      throw new PatchException("a strategic merge patch must be a JSON object, got " + patch.getNodeType());
    }
    ObjectNode merged = mergeObject(original.deepCopy(), (ObjectNode) patch, type);
    return merged == null ? NODES.objectNode() : merged;
  }

  /**
   * Merges {@code patch} into {@code target} (which it may modify) and returns the result, or null when the
   * patch deletes the map. {@code type} is null inside maps and other untyped values.
   */
  private static ObjectNode mergeObject(ObjectNode target, ObjectNode patch, Descriptor type) {
    JsonNode directive = patch.get(PATCH);
    if (directive != null) {
      switch (directive.asText()) {
        case "delete":
          return null;
        case "replace":
          return withoutDirectives(patch);
        case "merge":
          break;
        default:
          throw new PatchException("unknown patch directive \"" + directive.asText() + "\"");
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = entry.getKey();
      if (key.startsWith("$")) {
        continue;
      }
      JsonNode value = entry.getValue();
      if (value.isNull()) {
        target.remove(key);
        continue;
      }
      FieldDescriptor field = type == null ? null : field(type, key);
      JsonNode current = target.get(key);
      if (field != null && field.isMapField()) {
        set(target, key, mergeObject(objectOrEmpty(current), requireObject(value, key), null));
      } else if (field != null && field.isRepeated()) {
        target.set(key, mergeList(current, requireArray(value, key), field));
      } else if (value.isObject() && isStructured(field)) {
        Descriptor nested = field == null ? null : field.getMessageType();
        set(target, key, mergeObject(objectOrEmpty(current), (ObjectNode) value, nested));
      } else {
        target.set(key, value.isContainerNode() ? withoutDirectives(value) : value);
      }
    }
    applyListDirectives(target, patch);
    JsonNode retain = patch.get(RETAIN_KEYS);
    if (retain != null) {
      Set<String> keep = new HashSet<>();
      requireArray(retain, RETAIN_KEYS).forEach(k -> keep.add(k.asText()));
      target.retain(keep);
    }
    return target;
  }

  /** A message field (not IntOrString or a time, which are scalars in JSON), or an untyped map. */
  private static boolean isStructured(FieldDescriptor field) {
    if (field == null) {
      return true;
    }
    if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return false;
    }
    String name = field.getMessageType().getFullName();
    return !name.equals("minik8s.api.IntOrString") && !name.equals("google.protobuf.Timestamp");
  }

  private static ArrayNode mergeList(JsonNode current, ArrayNode patch, FieldDescriptor field) {
    PatchStrategy strategy = PatchStrategy.of(field);
    List<JsonNode> elements = new ArrayList<>();
    for (JsonNode element : patch) {
      if (element.isObject() && "replace".equals(element.path(PATCH).asText(null)) && element.size() == 1) {
        // [{"$patch": "replace"}, ...]: the rest of the list replaces the original.
        ArrayNode replaced = NODES.arrayNode();
        patch.forEach(e -> {
          if (e != element) {
            replaced.add(withoutDirectives(e));
          }
        });
        return replaced;
      }
      elements.add(element);
    }
    ArrayNode result = current != null && current.isArray() ? ((ArrayNode) current).deepCopy() : NODES.arrayNode();
    switch (strategy.type()) {
      case MERGE_SCALARS:
        for (JsonNode element : elements) {
          if (indexOf(result, element) < 0) {
            result.add(element);
          }
        }
        return result;
      case MERGE_BY_KEY:
        Descriptor type = field.getMessageType();
        for (JsonNode element : elements) {
          ObjectNode patchElement = requireObject(element, field.getJsonName() + "[]");
          JsonNode key = patchElement.get(strategy.mergeKey());
          if (key == null) {
            throw new PatchException("map: " + patchElement + " does not contain declared merge key: "
                + strategy.mergeKey());
          }
          int at = indexOfKey(result, strategy.mergeKey(), key);
          if ("delete".equals(patchElement.path(PATCH).asText(null))) {
            if (at >= 0) {
              result.remove(at);
            }
            continue;
          }
          ObjectNode base = at >= 0 && result.get(at).isObject() ? (ObjectNode) result.get(at) : NODES.objectNode();
          ObjectNode merged = mergeObject(base, patchElement, type);
          if (at >= 0) {
            if (merged == null) {
              result.remove(at);
            } else {
              result.set(at, merged);
            }
          } else if (merged != null) {
            result.add(merged);
          }
        }
        return result;
      default:
        ArrayNode replaced = NODES.arrayNode();
        elements.forEach(e -> replaced.add(withoutDirectives(e)));
        return replaced;
    }
  }

  /** {@code $deleteFromPrimitiveList/<field>} and {@code $setElementOrder/<field>}, after the merge. */
  private static void applyListDirectives(ObjectNode target, ObjectNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = entry.getKey();
      if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        String field = key.substring(DELETE_FROM_PRIMITIVE_LIST.length());
        JsonNode list = target.get(field);
        if (list != null && list.isArray()) {
          for (JsonNode value : requireArray(entry.getValue(), key)) {
            int at;
            while ((at = indexOf((ArrayNode) list, value)) >= 0) {
              ((ArrayNode) list).remove(at);
            }
          }
        }
      } else if (key.startsWith(SET_ELEMENT_ORDER)) {
        String field = key.substring(SET_ELEMENT_ORDER.length());
        JsonNode list = target.get(field);
        if (list != null && list.isArray()) {
          target.set(field, reorder((ArrayNode) list, requireArray(entry.getValue(), key)));
        }
      }
    }
  }

  /** The elements named by {@code order} first, in its order, then the others in their own order. */
  private static ArrayNode reorder(ArrayNode list, ArrayNode order) {
    List<JsonNode> rest = new ArrayList<>();
    list.forEach(rest::add);
    ArrayNode out = NODES.arrayNode();
    for (JsonNode wanted : order) {
      for (Iterator<JsonNode> it = rest.iterator(); it.hasNext(); ) {
        JsonNode element = it.next();
        if (matches(element, wanted)) {
          out.add(element);
          it.remove();
          break;
        }
      }
    }
    rest.forEach(out::add);
    return out;
  }

  /** A list element matches an order entry: equal scalars, or an object whose fields include the entry's. */
  private static boolean matches(JsonNode element, JsonNode wanted) {
    if (!wanted.isObject()) {
      return sameValue(element, wanted);
    }
    if (!element.isObject()) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = wanted.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode mine = element.get(e.getKey());
      if (mine == null || !sameValue(mine, e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(ArrayNode list, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (sameValue(list.get(i), value)) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOfKey(ArrayNode list, String mergeKey, JsonNode key) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode element = list.get(i);
      if (element.isObject() && element.has(mergeKey) && sameValue(element.get(mergeKey), key)) {
        return i;
      }
    }
    return -1;
  }

  /** Equality in which 80 and 80.0 (an int and a long node) are the same number. */
  static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /** A copy without {@code $}-directives at any depth (for values that replace rather than merge). */
  private static <N extends JsonNode> N withoutDirectives(N node) {
    @SuppressWarnings("unchecked")
    N copy = (N) node.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode node) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      List<String> directives = new ArrayList<>();
      object.fieldNames().forEachRemaining(k -> {
        if (k.startsWith("$")) {
          directives.add(k);
        }
      });
      object.remove(directives);
      object.forEach(StrategicMergePatch::strip);
    } else if (node.isArray()) {
      node.forEach(StrategicMergePatch::strip);
    }
  }

  private static FieldDescriptor field(Descriptor type, String jsonName) {
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJsonName().equals(jsonName)) {
        return f;
      }
    }
    return null; // an unknown field: merged untyped, and the decoder names it afterwards
  }

  private static void set(ObjectNode target, String key, ObjectNode value) {
    if (value == null) {
      target.remove(key);
    } else {
      target.set(key, value);
    }
  }

  private static ObjectNode objectOrEmpty(JsonNode node) {
    return node != null && node.isObject() ? (ObjectNode) node : NODES.objectNode();
  }

  private static ObjectNode requireObject(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new PatchException(where + ": expected an object in the patch, got " + node.getNodeType());
    }
    return (ObjectNode) node;
  }

  private static ArrayNode requireArray(JsonNode node, String where) {
    if (!node.isArray()) {
      throw new PatchException(where + ": expected a list in the patch, got " + node.getNodeType());
    }
    return (ArrayNode) node;
  }
}
