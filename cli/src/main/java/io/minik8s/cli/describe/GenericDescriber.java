package io.minik8s.cli.describe;

import com.google.protobuf.Message;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.codec.ManifestEncoder;
import java.util.List;
import java.util.Map;

/**
 * Any kind without its own describer (Lease, Event): the common header, then every field but
 * metadata as nested {@code Field Name:  value} lines, as kubectl describes custom resources.
 */
final class GenericDescriber implements Describer<Message> {
  @Override
  public void describe(Message object, DescribeWriter w, DescribeContext context) {
    Kind<?> kind = Kinds.of(object);
    Sections.header(w, kind, kind.metadata(object), context);
    Map<String, Object> fields = new ManifestEncoder().toMap(object);
    fields.remove("metadata");
    fields.forEach((key, value) -> field(w, 0, key, value));
    Sections.events(w, kind, kind.metadata(object), context);
  }

  @SuppressWarnings("unchecked")
  private static void field(DescribeWriter w, int level, String key, Object value) {
    String label = title(key) + ":";
    if (value instanceof Map) {
      w.line(level, label);
      ((Map<String, Object>) value).forEach((k, v) -> field(w, level + 1, k, v));
    } else if (value instanceof List) {
      w.line(level, label);
      for (Object item : (List<Object>) value) {
        if (item instanceof Map) {
          ((Map<String, Object>) item).forEach((k, v) -> field(w, level + 1, k, v));
        } else {
          w.line(level + 1, String.valueOf(item));
        }
      }
    } else {
      w.line(level, label, String.valueOf(value));
    }
  }

  /** {@code holderIdentity} → {@code Holder Identity}; {@code apiVersion} → {@code API Version}. */
  static String title(String key) {
    if (key.equals("apiVersion")) {
      return "API Version";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (i == 0) {
        out.append(Character.toUpperCase(c));
      } else if (Character.isUpperCase(c) && !Character.isUpperCase(key.charAt(i - 1))) {
        out.append(' ').append(c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
