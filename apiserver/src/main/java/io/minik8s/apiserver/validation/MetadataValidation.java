package io.minik8s.apiserver.validation;

import io.minik8s.client.validation.NameRules;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.OwnerReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Rules every object's metadata obeys, whatever its kind. */
public final class MetadataValidation {
  /** Kubernetes' limit on the total size of all annotations of one object. */
  public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

  private MetadataValidation() {}

  /**
   * @param nameRule the syntax the kind's names follow (most kinds: DNS-1123 subdomain)
   * @param namespaced whether the kind lives in a namespace
   */
  public static void validate(ObjectMeta meta, Function<String, List<String>> nameRule, boolean namespaced,
      FieldErrors errs) {
    FieldPath m = FieldPath.root("metadata");
    if (meta.getName().isEmpty()) {
      errs.required(m.child("name"), "name or generateName is required");
    } else {
      errs.invalidIfAny(m.child("name"), meta.getName(), nameRule.apply(meta.getName()));
    }
    if (namespaced) {
      if (meta.getNamespace().isEmpty()) {
        errs.required(m.child("namespace"));
      } else {
        errs.invalidIfAny(m.child("namespace"), meta.getNamespace(), NameRules.dns1123Label(meta.getNamespace()));
      }
    } else if (!meta.getNamespace().isEmpty()) {
      errs.forbidden(m.child("namespace"), "not allowed on this type");
    }
    labels(meta.getLabelsMap(), m.child("labels"), errs);
    annotations(meta.getAnnotationsMap(), m.child("annotations"), errs);
    for (int i = 0; i < meta.getOwnerReferencesCount(); i++) {
      OwnerReference ref = meta.getOwnerReferences(i);
      FieldPath p = m.child("ownerReferences").index(i);
      if (ref.getApiVersion().isEmpty()) {
        errs.required(p.child("apiVersion"));
      }
      if (ref.getKind().isEmpty()) {
        errs.required(p.child("kind"));
      }
      if (ref.getName().isEmpty()) {
        errs.required(p.child("name"));
      }
      if (ref.getUid().isEmpty()) {
        errs.required(p.child("uid"));
      }
    }
    if (meta.getOwnerReferencesList().stream().filter(r -> r.hasController() && r.getController()).count() > 1) {
      errs.invalid(m.child("ownerReferences"), "", "Only one reference can have Controller set to true");
    }
    for (int i = 0; i < meta.getFinalizersCount(); i++) {
      errs.invalidIfAny(m.child("finalizers").index(i), meta.getFinalizers(i),
          NameRules.qualifiedName(meta.getFinalizers(i)));
    }
  }

  public static void labels(Map<String, String> labels, FieldPath path, FieldErrors errs) {
    labels.forEach((k, v) -> {
      errs.invalidIfAny(path, k, NameRules.qualifiedName(k));
      errs.invalidIfAny(path.key(k), v, NameRules.labelValue(v));
    });
  }

  private static void annotations(Map<String, String> annotations, FieldPath path, FieldErrors errs) {
    long total = 0;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      errs.invalidIfAny(path, e.getKey(), NameRules.qualifiedName(e.getKey().toLowerCase(java.util.Locale.ROOT)));
      total += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      errs.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT);
    }
  }
}
