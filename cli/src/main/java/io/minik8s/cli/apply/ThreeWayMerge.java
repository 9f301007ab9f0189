package io.minik8s.cli.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kubectl's client-side apply merge, on the JSON-like maps of objects.
 *
 * <p>Given the live object, the configuration applied last time and the configuration applied now,
 * the result is the live object with:
 * <ul>
 *   <li>every field of the new configuration written in (maps merged key by key, recursively; lists
 *       and scalars replaced whole; a {@code null} value removes the field);</li>
 *   <li>every field that the last configuration had and the new one no longer has removed;</li>
 *   <li>everything else left as it is: fields that the server or other components set and the user
 *       never wrote (a pod's {@code spec.nodeName}, {@code status}, {@code metadata.uid}) survive.</li>
 * </ul>
 *
 * <p>Pure: the inputs are not modified and the result shares no mutable maps or lists with them.
 */
public final class ThreeWayMerge {
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
      } else {
        result.put(key, deepCopy(want));
      }
    }
    return result;
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
