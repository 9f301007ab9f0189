package io.minik8s.apiserver.registry.core;

import io.minik8s.api.Event;
import io.minik8s.apiserver.registry.ResourceStrategy;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.List;

public final class EventStrategy implements ResourceStrategy<Event> {
  private static final List<String> TYPES = List.of("Normal", "Warning");

  @Override
  public Kind<Event> kind() {
    return Kinds.EVENT;
  }

  @Override
  public Event applyDefaults(Event e) {
    return e.getType().isEmpty() ? e.toBuilder().setType("Normal").build() : e;
  }

  @Override
  public void validate(Event e, FieldErrors errs) {
    if (e.getInvolvedObject().getKind().isEmpty()) {
      errs.required(FieldPath.root("involvedObject").child("kind"));
    }
    if (!e.getInvolvedObject().getNamespace().isEmpty()
        && !e.getInvolvedObject().getNamespace().equals(e.getMetadata().getNamespace())) {
      errs.invalid(FieldPath.root("involvedObject").child("namespace"), e.getInvolvedObject().getNamespace(),
          "does not match event.namespace");
    }
    if (!TYPES.contains(e.getType())) {
      errs.notSupported(FieldPath.root("type"), e.getType(), TYPES);
    }
  }
}
