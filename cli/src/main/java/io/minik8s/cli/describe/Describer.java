package io.minik8s.cli.describe;

import com.google.protobuf.Message;

/**
 * Writes the kubectl-style description of one kind's objects. Stateless; may read related objects
 * (events, endpoints, pods) through the context's client.
 *
 * @param <T> the kind's message
 */
public interface Describer<T extends Message> {
  void describe(T object, DescribeWriter w, DescribeContext context);
}
