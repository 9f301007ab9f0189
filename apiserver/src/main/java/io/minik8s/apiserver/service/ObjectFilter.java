package io.minik8s.apiserver.service;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.selector.FieldSelector;
import io.minik8s.client.selector.LabelSelector;
import java.util.function.Predicate;

/** The server-side filter of a list or watch: namespace, label selector and field selector together. */
final class ObjectFilter {
  private ObjectFilter() {}

  /** BadRequest when a selector does not parse or names a field the kind does not support. */
  static Predicate<Message> of(Kind<?> kind, String namespace, String labelSelector, String fieldSelector) {
    LabelSelector labels;
    FieldSelector fields;
    try {
      labels = LabelSelector.parse(labelSelector);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("unable to parse requirement: " + e.getMessage());
    }
    try {
      fields = FieldSelector.parse(fieldSelector, kind);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    boolean byNamespace = kind.namespaced() && namespace != null && !namespace.isEmpty();
    if (!byNamespace && labels.isEmpty() && fields.isEmpty()) {
      return o -> true;
    }
    return o -> {
      ObjectMeta meta = kind.metadata(o);
      return (!byNamespace || meta.getNamespace().equals(namespace))
          && labels.matches(meta.getLabelsMap())
          && fields.matches(o);
    };
  }
}
