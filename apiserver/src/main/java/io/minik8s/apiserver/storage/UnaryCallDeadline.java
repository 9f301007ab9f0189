package io.minik8s.apiserver.storage;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every unary etcd call a gRPC deadline (jetcd sets none, and waits for the connection to be
 * ready), so a call made while etcd is down ends on the server side of the channel too instead of
 * staying queued after the caller gave up. Streams (watches) keep no deadline.
 */
final class UnaryCallDeadline implements ClientInterceptor {
  private final Duration timeout;

  UnaryCallDeadline(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    CallOptions effective = options;
    if (method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null) {
      effective = options.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    return next.newCall(method, effective);
  }
}
