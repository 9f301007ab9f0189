package io.minik8s.cli.apply;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * kubectl's client-side apply merge, on the JSON-like maps of objects.
 *
 * <p>Given the live object, the configuration applied last time and the configuration applied now,
 * the result is the live object with:
 * <ul>
 *   <li>every field of the new configuration written in (maps merged key by key, recursively;
 *       scalars and lists of scalars replaced; a {@code null} value removes the field);</li>
 *   <li>lists of objects take the new configuration's members in its order, but an element that
 *       has a live counterpart with the same merge key ({@code name}, {@code containerPort},
 *       {@code port}, ... see {@link #MERGE_KEYS}) is merged with it like a map, as kubectl's
 *       strategic merge does: so the fields the server filled in an element (a Service port's
 *       {@code nodePort}, a container's defaulted {@code imagePullPolicy}) survive. A list whose
 *       elements share no merge key with distinct values is replaced whole;</li>
 *   <li>every field that the last configuration had and the new one no longer has removed;</li>
 *   <li>everything else left as it is: fields that the server or other components set and the user
 *       never wrote (a pod's {@code spec.nodeName}, {@code status}, {@code metadata.uid}) survive.</li>
 * </ul>
 *
 * <p>Pure: the inputs are not modified and the result shares no mutable maps or lists with them.
 */
public final class ThreeWayMerge {
  /**
   * The fields that identify an element of a list of objects, tried in this order; the first that
   * every element of the new list has, with distinct values, is used (containers and env by
   * {@code name}, container ports by {@code containerPort}, Service ports by {@code name} or
   * {@code port}, taints and tolerations by {@code key}, ...).
   */
  static final List<String> MERGE_KEYS = List.of("name", "containerPort", "port", "mountPath", "ip", "type", "key");

  private ThreeWayMerge() {}

  /**
   * @param live the object as the server has it now
   * @param lastApplied the configuration applied last time (empty when unknown)
   * @param desired the configuration applied now
   * @return the object to write back
   */
  public static Map<String, Object> merge(Map<String, Object> live, Map<String, Object> lastApplied,
      Map<String, Object> desired) {
    Map<String, Object> result = deepCopyMap(live);
    for (String key : lastApplied.keySet()) {
      if (!desired.containsKey(key)) {
        result.remove(key);
      }
    }
    for (Map.Entry<String, Object> entry : desired.entrySet()) {
      String key = entry.getKey();
      Object want = entry.getValue();
      Object have = live.get(key);
      if (want == null) {
        result.remove(key);
      } else if (want instanceof Map && have instanceof Map) {
        Object last = lastApplied.get(key);
        result.put(key, merge(asMap(have), last instanceof Map ? asMap(last) : Map.of(), asMap(want)));
      } else if (want instanceof List && have instanceof List) {
        Object last = lastApplied.get(key);
        result.put(key, mergeList((List<?>) have, last instanceof List ? (List<?>) last : List.of(), (List<?>) want));
      } else {
        result.put(key, deepCopy(want));
      }
    }
    return result;
  }

  private static List<Object> mergeList(List<?> live, List<?> lastApplied, List<?> desired) {
    String key = mergeKey(desired);
    List<Object> result = new ArrayList<>();
    for (Object want : desired) {
      Map<String, Object> haveElement = key == null ? null : element(live, key, asMap(want).get(key));
      if (haveElement == null) {
        result.add(deepCopy(want));
      } else {
        Map<String, Object> lastElement = element(lastApplied, key, asMap(want).get(key));
        result.add(merge(haveElement, lastElement == null ? Map.of() : lastElement, asMap(want)));
      }
    }
    return result;
  }

  /** The merge key of a list of objects, or null when it is not one (or its elements cannot be told apart). */
  private static String mergeKey(List<?> elements) {
    if (elements.isEmpty() || !elements.stream().allMatch(e -> e instanceof Map)) {
      return null;
    }
    for (String key : MERGE_KEYS) {
      Set<Object> seen = new HashSet<>();
      boolean usable = true;
      for (Object e : elements) {
        Object id = asMap(e).get(key);
        if (id == null || !seen.add(id)) {
          usable = false;
          break;
        }
      }
      if (usable) {
        return key;
      }
    }
    return null;
  }

  private static Map<String, Object> element(List<?> list, String key, Object id) {
    for (Object e : list) {
      if (e instanceof Map && id.equals(asMap(e).get(key))) {
        return asMap(e);
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }

  private static Map<String, Object> deepCopyMap(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, deepCopy(v)));
    return copy;
  }

  private static Object deepCopy(Object value) {
    if (value instanceof Map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      asMap(value).forEach((k, v) -> {
        if (v != null) {
          copy.put(k, deepCopy(v));
        }
      });
      return copy;
    }
    if (value instanceof List) {
      List<Object> copy = new ArrayList<>();
      for (Object v : (List<?>) value) {
        copy.add(deepCopy(v));
      }
      return copy;
    }
    return value;
  }
}
