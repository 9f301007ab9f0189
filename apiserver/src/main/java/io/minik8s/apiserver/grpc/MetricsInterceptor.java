package io.minik8s.apiserver.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.minik8s.api.Object;
import io.minik8s.client.api.Kinds;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Request count and latency per verb, resource and result, as
 * {@code apiserver_request_duration_seconds{verb,resource,code}}. The resource is read from the request
 * itself (its {@code resource} field, or the kind of the object it carries). Watches are counted when
 * they end; their duration is how long they lasted.
 */
public final class MetricsInterceptor implements ServerInterceptor {
  private final MeterRegistry registry;
  private final java.util.Map<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

  public MetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The timer of one (verb, resource, code), registered once: a lookup per request, no builder. */
  private Timer timer(String verb, String resource, Status.Code code) {
    return timers.computeIfAbsent(new TimerKey(verb, resource, code), k -> Timer
        .builder("apiserver_request_duration_seconds")
        .description("API requests by verb, resource and gRPC result code")
        .tag("verb", k.verb())
        .tag("resource", k.resource())
        .tag("code", k.code().name())
        .publishPercentileHistogram()
        .register(registry));
  }

  private record TimerKey(String verb, String resource, Status.Code code) {}

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String verb = call.getMethodDescriptor().getBareMethodName().toLowerCase(Locale.ROOT);
    long start = System.nanoTime();
    String[] resource = {""};
    ServerCall<Q, R> timed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        timer(verb, resource[0], status.getCode())
            .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        super.close(status, trailers);
      }
    };
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(timed, headers)) {
      @Override
      public void onMessage(Q message) {
        resource[0] = resourceOf(message);
        super.onMessage(message);
      }
    };
  }

  private static String resourceOf(java.lang.Object request) {
    if (!(request instanceof Message m)) {
      return "";
    }
    FieldDescriptor resource = m.getDescriptorForType().findFieldByName("resource");
    if (resource != null) {
      return (String) m.getField(resource);
    }
    FieldDescriptor object = m.getDescriptorForType().findFieldByName("object");
    if (object != null && m.getField(object) instanceof Object envelope
        && envelope.getKindCase() != Object.KindCase.KIND_NOT_SET) {
      return Kinds.of(envelope).resource();
    }
    return m.getDescriptorForType().getName().startsWith("Bind") || m.getDescriptorForType().getName().startsWith("Logs")
        ? "pods" : "";
  }
}
