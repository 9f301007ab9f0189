package io.minik8s.apiserver.storage;

import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.minik8s.api.Status.Builder;
import io.minik8s.client.api.ApiException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns whatever a jetcd call failed with into the {@link ApiException} the {@link Storage} contract
 * promises: ServiceUnavailable for anything that means "etcd did not answer" (connection refused,
 * no leader, deadline, timeout, on our side or etcd's), Expired for a compacted revision, Timeout for a future revision,
 * RequestEntityTooLarge for an oversized value, InternalError for the rest.
 */
final class EtcdErrors {
  private EtcdErrors() {}

  static ApiException toApiException(String operation, String key, Throwable failure, Duration timeout) {
    Throwable t = unwrap(failure);
    if (t instanceof ApiException) {
      return (ApiException) t;
    }
    String what = "etcd " + operation + (key == null || key.isEmpty() ? "" : " " + key);
    if (t instanceof TimeoutException) {
      return ApiException.unavailable(what + ": no answer within " + timeout.toMillis() + " ms", t);
    }
    if (t instanceof CancellationException) {
      return ApiException.unavailable(what + ": cancelled", t);
    }
    String message = String.valueOf(t.getMessage());
    if (isCompacted(t)) {
      return ApiException.expired(what + ": the requested revision has been compacted (" + message + ")");
    }
    if (message.contains("future revision")) {
      return new ApiException(timeoutStatus(what + ": too large resource version (" + message + ")").build(), t);
    }
    if (message.contains("request is too large")) {
      return ApiException.tooLarge(what + ": " + message);
    }
    Status.Code code = codeOf(t);
    switch (code) {
      case UNAVAILABLE:
      case DEADLINE_EXCEEDED:
      case CANCELLED:
      case ABORTED:
        return ApiException.unavailable(what + ": etcd unavailable (" + code + ": " + message + ")", t);
      default:
        if (t instanceof IllegalStateException || message.contains("no leader") || message.contains("leader changed")
            || message.contains("context deadline exceeded") || message.contains("request timed out")) {
          // jetcd throws IllegalStateException once its client is closed. A member that lost its quorum
          // gives up on a request after its own deadline and says so with code UNKNOWN ("context
          // deadline exceeded") or "etcdserver: request timed out": etcd did not answer, not a bug.
          return ApiException.unavailable(what + ": " + message, t);
        }
        return ApiException.internal(what + ": " + message, t);
    }
  }

  static boolean isCompacted(Throwable failure) {
    Throwable t = unwrap(failure);
    return t instanceof CompactedException
        || String.valueOf(t.getMessage()).contains("required revision has been compacted");
  }

  private static Status.Code codeOf(Throwable t) {
    if (t instanceof EtcdException) {
      return Status.Code.valueOf(((EtcdException) t).getErrorCode().name());
    }
    if (t instanceof StatusRuntimeException) {
      return ((StatusRuntimeException) t).getStatus().getCode();
    }
    Status s = Status.fromThrowable(t);
    return s.getCode();
  }

  private static Builder timeoutStatus(String message) {
    return io.minik8s.api.Status.newBuilder().setStatus("Failure").setReason(ApiException.TIMEOUT).setCode(504)
        .setMessage(message);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof ExecutionException || current instanceof CompletionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
