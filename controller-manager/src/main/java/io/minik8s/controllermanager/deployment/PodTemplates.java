package io.minik8s.controllermanager.deployment;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.minik8s.api.PodTemplateSpec;
import java.util.List;
import java.util.Map;

/**
 * Pod templates compared as Kubernetes compares them ({@code apiequality.Semantic.DeepEqual} on Go structs, where
 * an empty struct and an absent one are the same): the {@code pod-template-hash} label is ignored, and so is an
 * empty message that is merely present ({@code resources: {}}, which kubectl sends back on {@code rollout undo}
 * though the ReplicaSet's template never had it). Empty members of a oneof are kept: there presence is the value
 * ({@code emptyDir: {}}). Stateless.
 */
final class PodTemplates {
  private PodTemplates() {}

  /** The template as compared and hashed: without the hash label and without empty, merely present messages. */
  static PodTemplateSpec canonical(PodTemplateSpec t) {
    PodTemplateSpec withoutHash = t.toBuilder()
        .setMetadata(t.getMetadata().toBuilder().removeLabels(PodTemplateHash.LABEL)).build();
    return (PodTemplateSpec) withoutEmptyMessages(withoutHash);
  }

  static boolean sameTemplate(PodTemplateSpec a, PodTemplateSpec b) {
    return canonical(a).equals(canonical(b));
  }

  private static Message withoutEmptyMessages(Message m) {
    Message.Builder b = null;
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || f.isMapField()) {
        continue;
      }
      if (b == null) {
        b = m.toBuilder();
      }
      if (f.isRepeated()) {
        b.clearField(f);
        for (Object item : (List<?>) e.getValue()) {
          b.addRepeatedField(f, withoutEmptyMessages((Message) item));
        }
      } else {
        Message child = withoutEmptyMessages((Message) e.getValue());
        if (f.getRealContainingOneof() == null && child.equals(child.getDefaultInstanceForType())) {
          b.clearField(f);
        } else {
          b.setField(f, child);
        }
      }
    }
    return b == null ? m : b.build();
  }
}
