package io.minik8s.apiserver.watch;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.minik8s.api.ApiServerGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Lets the Watch method send events that are already serialized, so that an event going to many watchers
 * is serialized once (see {@link io.minik8s.apiserver.storage.SharedEncodings}) instead of once per
 * watcher by gRPC's protobuf marshaller.
 *
 * <p>How: the service's Watch method is bound with a response marshaller that takes either a
 * {@link io.minik8s.api.WatchEvent} (serialized as usual) or an {@link Encoded} (its bytes, as they are).
 * The bytes are a serialized WatchEvent, so clients see no difference. Only streams of a service bound
 * through {@link #rebind} may be given an {@link Encoded}.
 */
public final class PreEncodedWatch {
  private PreEncodedWatch() {}

  /** A message serialized once, sent as it is by the Watch method's marshaller. Immutable. */
  public static final class Encoded {
    private final byte[] bytes;

    public Encoded(byte[] bytes) {
      this.bytes = bytes;
    }

    int size() {
      return bytes.length;
    }

    InputStream stream() {
      return new BytesStream(bytes);
    }
  }

  /** {@code service} with its Watch method taking {@link Encoded} events as well; other methods unchanged. */
  public static ServerServiceDefinition rebind(ServerServiceDefinition service) {
    String watch = ApiServerGrpc.getWatchMethod().getFullMethodName();
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      if (method.getMethodDescriptor().getFullMethodName().equals(watch)) {
        b.addMethod(acceptingEncoded(method));
      } else {
        add(b, method);
      }
    }
    return b.build();
  }

  private static <Q, R> void add(ServerServiceDefinition.Builder b, ServerMethodDefinition<Q, R> method) {
    b.addMethod(method);
  }

  @SuppressWarnings("unchecked")
  private static <Q, R> ServerMethodDefinition<Q, Object> acceptingEncoded(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> d = method.getMethodDescriptor();
    MethodDescriptor<Q, Object> accepting = d.toBuilder(d.getRequestMarshaller(),
        new EncodedOrMessage<>(d.getResponseMarshaller())).build();
    // The handler's stream is typed R; the marshaller above is the only one that sees what it is given.
    return ServerMethodDefinition.create(accepting, (ServerCallHandler<Q, Object>) (ServerCallHandler<Q, ?>)
        method.getServerCallHandler());
  }

  /** Serializes an {@link Encoded} as its bytes and anything else with the method's own marshaller. */
  private static final class EncodedOrMessage<R> implements MethodDescriptor.Marshaller<Object> {
    private final MethodDescriptor.Marshaller<R> messages;

    EncodedOrMessage(MethodDescriptor.Marshaller<R> messages) {
      this.messages = messages;
    }

    @Override
    @SuppressWarnings("unchecked")
    public InputStream stream(Object value) {
      return value instanceof Encoded e ? e.stream() : messages.stream((R) value);
    }

    @Override
    public Object parse(InputStream stream) {
      return messages.parse(stream);
    }
  }

  /** The bytes with their length known up front and drained in one write, as gRPC's own message streams. */
  private static final class BytesStream extends ByteArrayInputStream implements KnownLength, Drainable {
    BytesStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
