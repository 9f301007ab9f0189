package io.minik8s.apiserver.registry;

import io.minik8s.client.validation.NameRules;
import com.google.protobuf.Message;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.client.api.Kind;
import java.util.List;

/**
 * What one kind adds to the generic create/update/delete flow of {@link ResourceRegistry}: its
 * defaults, its validation and its special cases. The registry does the rest (metadata, storage,
 * compare-and-swap, generation, deletion), so a strategy is pure logic over messages and is tested
 * without etcd.
 */
public interface ResourceStrategy<T extends Message> {

  Kind<T> kind();

  /** The syntax of names of this kind. Most kinds: a DNS-1123 subdomain. */
  default List<String> validateName(String name) {
    return NameRules.dns1123Subdomain(name);
  }

  /** Fills in the defaults Kubernetes fills in. Applied on create and on update, before validation. */
  default T applyDefaults(T object) {
    return object;
  }

  /** Kind-specific preparation of a new object (after defaults): an initial status, for example. */
  default T prepareForCreate(T object) {
    return object;
  }

  /**
   * Kind-specific preparation of an update (after defaults, before validation): fields the client may
   * leave out and the server keeps, such as a Service's allocated cluster IP.
   */
  default T prepareForUpdate(T old, T updated) {
    return updated;
  }

  /** Adds every problem of the object (spec and kind-specific metadata rules) to {@code errs}. */
  default void validate(T object, FieldErrors errs) {}

  /** Rules of a change: immutable fields. Called in addition to {@link #validate}. */
  default void validateUpdate(T old, T updated, FieldErrors errs) {}

  /** Rules of a status write. */
  default void validateStatus(T object, FieldErrors errs) {}
}
