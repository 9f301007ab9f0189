package io.minik8s.client.api;

import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Status;
import io.minik8s.api.StatusCause;
import io.minik8s.api.StatusDetails;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A failed API call, as Kubernetes reports it: a reason ({@code NotFound}, {@code Conflict}, ...),
 * an HTTP-style code, a message and, for invalid objects, one cause per offending field.
 *
 * <p>On the gRPC wire the {@link Status} travels in the trailers under {@link #STATUS_KEY}, beside a
 * gRPC status code chosen from the reason, so that plain gRPC clients see a sensible code too.
 */
public final class ApiException extends RuntimeException {
  public static final Metadata.Key<byte[]> STATUS_KEY =
      Metadata.Key.of("minik8s-status-bin", Metadata.BINARY_BYTE_MARSHALLER);

  public static final String NOT_FOUND = "NotFound";
  public static final String ALREADY_EXISTS = "AlreadyExists";
  public static final String CONFLICT = "Conflict";
  public static final String INVALID = "Invalid";
  public static final String EXPIRED = "Expired";
  public static final String BAD_REQUEST = "BadRequest";
  public static final String FORBIDDEN = "Forbidden";
  public static final String UNAVAILABLE = "ServiceUnavailable";
  public static final String TOO_LARGE = "RequestEntityTooLarge";
  public static final String INTERNAL = "InternalError";
  public static final String TIMEOUT = "Timeout";

  private final Status status;

  public ApiException(Status status) {
    super(status.getMessage());
    this.status = status;
  }

  public ApiException(Status status, Throwable cause) {
    super(status.getMessage(), cause);
    this.status = status;
  }

  public static ApiException of(String reason, int code, String message) {
    return new ApiException(Status.newBuilder().setStatus("Failure").setReason(reason).setCode(code)
        .setMessage(message).build());
  }

  /** {@code pods "x" not found}, {@code deployments.apps "x" not found}: the resource qualified by its group. */
  public static ApiException notFound(Kind<?> kind, String name) {
    return withDetails(NOT_FOUND, 404, qualified(kind) + " \"" + name + "\" not found", kind, name);
  }

  public static ApiException alreadyExists(Kind<?> kind, String name) {
    return withDetails(ALREADY_EXISTS, 409, qualified(kind) + " \"" + name + "\" already exists", kind, name);
  }

  public static ApiException conflict(Kind<?> kind, String name, String why) {
    return withDetails(CONFLICT, 409, "Operation cannot be fulfilled on " + qualified(kind) + " \"" + name
        + "\": " + why, kind, name);
  }

  /** How Kubernetes names a resource in messages: {@code pods}, {@code deployments.apps}. */
  private static String qualified(Kind<?> kind) {
    return kind.group().isEmpty() ? kind.resource() : kind.resource() + "." + kind.group();
  }

  public static ApiException expired(String message) {
    return of(EXPIRED, 410, message);
  }

  public static ApiException badRequest(String message) {
    return of(BAD_REQUEST, 400, message);
  }

  public static ApiException forbidden(String message) {
    return of(FORBIDDEN, 403, message);
  }

  public static ApiException unavailable(String message, Throwable cause) {
    return new ApiException(Status.newBuilder().setStatus("Failure").setReason(UNAVAILABLE).setCode(503)
        .setMessage(message).build(), cause);
  }

  public static ApiException tooLarge(String message) {
    return of(TOO_LARGE, 413, message);
  }

  public static ApiException internal(String message, Throwable cause) {
    return new ApiException(Status.newBuilder().setStatus("Failure").setReason(INTERNAL).setCode(500)
        .setMessage(message).build(), cause);
  }

  /**
   * An invalid object, every problem at once:
   * {@code Pod "web" is invalid: [spec.containers[0].image: Required value, ...]}.
   */
  public static ApiException invalid(Kind<?> kind, String name, List<StatusCause> causes) {
    String list = causes.stream().map(c -> c.getField() + ": " + c.getMessage())
        .collect(Collectors.joining(", "));
    String message = kind.kind() + " \"" + name + "\" is invalid: "
        + (causes.size() == 1 ? list : "[" + list + "]");
    return new ApiException(Status.newBuilder().setStatus("Failure").setReason(INVALID).setCode(422)
        .setMessage(message)
        .setDetails(StatusDetails.newBuilder().setKind(kind.kind()).setGroup(kind.group()).setName(name)
            .addAllCauses(causes))
        .build());
  }

  private static ApiException withDetails(String reason, int code, String message, Kind<?> kind, String name) {
    return new ApiException(Status.newBuilder().setStatus("Failure").setReason(reason).setCode(code)
        .setMessage(message)
        .setDetails(StatusDetails.newBuilder().setKind(kind.resource()).setGroup(kind.group()).setName(name))
        .build());
  }

  public Status status() {
    return status;
  }

  public String reason() {
    return status.getReason();
  }

  public int code() {
    return status.getCode();
  }

  public List<StatusCause> causes() {
    return status.getDetails().getCausesList();
  }

  public boolean isNotFound() {
    return NOT_FOUND.equals(reason());
  }

  public boolean isAlreadyExists() {
    return ALREADY_EXISTS.equals(reason());
  }

  public boolean isConflict() {
    return CONFLICT.equals(reason());
  }

  public boolean isExpired() {
    return EXPIRED.equals(reason()) || "Gone".equals(reason());
  }

  public boolean isInvalid() {
    return INVALID.equals(reason());
  }

  public boolean isUnavailable() {
    return UNAVAILABLE.equals(reason());
  }

  /** The gRPC form of this error, with the {@link Status} in the trailers. */
  public StatusRuntimeException toGrpc() {
    Metadata trailers = new Metadata();
    trailers.put(STATUS_KEY, status.toByteArray());
    return grpcCode().withDescription(status.getMessage()).asRuntimeException(trailers);
  }

  private io.grpc.Status grpcCode() {
    switch (reason()) {
      case NOT_FOUND: return io.grpc.Status.NOT_FOUND;
      case ALREADY_EXISTS: return io.grpc.Status.ALREADY_EXISTS;
      case CONFLICT: return io.grpc.Status.ABORTED;
      case INVALID:
      case BAD_REQUEST: return io.grpc.Status.INVALID_ARGUMENT;
      case EXPIRED: return io.grpc.Status.OUT_OF_RANGE;
      case FORBIDDEN: return io.grpc.Status.FAILED_PRECONDITION;
      case UNAVAILABLE: return io.grpc.Status.UNAVAILABLE;
      case TOO_LARGE: return io.grpc.Status.RESOURCE_EXHAUSTED;
      case TIMEOUT: return io.grpc.Status.DEADLINE_EXCEEDED;
      default: return io.grpc.Status.INTERNAL;
    }
  }

  /**
   * Turns any failure of a gRPC call into an {@code ApiException}: the server's {@link Status} when the
   * trailers carry one, otherwise one made from the gRPC code (a connection failure is
   * {@code ServiceUnavailable}).
   */
  public static ApiException fromGrpc(Throwable t) {
    if (t instanceof ApiException) {
      return (ApiException) t;
    }
    io.grpc.Status s = io.grpc.Status.fromThrowable(t);
    Metadata trailers = io.grpc.Status.trailersFromThrowable(t);
    if (trailers != null && trailers.containsKey(STATUS_KEY)) {
      try {
        return new ApiException(Status.parseFrom(trailers.get(STATUS_KEY)), t);
      } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
        // fall through to the code-based mapping
      }
    }
    String message = s.getDescription() != null ? s.getDescription() : s.getCode().toString();
    switch (s.getCode()) {
      case UNAVAILABLE:
        return unavailable("API server unavailable: " + message, t);
      case DEADLINE_EXCEEDED:
        return new ApiException(Status.newBuilder().setStatus("Failure").setReason(TIMEOUT).setCode(504)
            .setMessage(message).build(), t);
      case NOT_FOUND:
        return new ApiException(Status.newBuilder().setReason(NOT_FOUND).setCode(404).setMessage(message).build(), t);
      case CANCELLED:
        return new ApiException(Status.newBuilder().setReason("Cancelled").setCode(499).setMessage(message).build(), t);
      default:
        return internal(message, t);
    }
  }
}
