package io.minik8s.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.grpc.Status;
import io.minik8s.client.api.ApiException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class EtcdErrorsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static ApiException map(Throwable t) {
    return EtcdErrors.toApiException("get", "/registry/nodes/node1", t, TIMEOUT);
  }

  @Test
  void aMemberWithoutQuorumGivingUpIsServiceUnavailableNotAnInternalError() {
    // What etcd 3.4 answers when it cannot reach its quorum before its own deadline.
    ApiException unknownCode = map(new CompletionException(
        Status.UNKNOWN.withDescription("context deadline exceeded").asRuntimeException()));
    assertThat(unknownCode.isUnavailable()).as(unknownCode.getMessage()).isTrue();
    assertThat(unknownCode.getMessage()).contains("etcd get /registry/nodes/node1");

    ApiException fromJetcd = map(EtcdExceptionFactory.newEtcdException(ErrorCode.UNKNOWN, "context deadline exceeded"));
    assertThat(fromJetcd.isUnavailable()).isTrue();
    ApiException timedOut = map(Status.UNAVAILABLE.withDescription("etcdserver: request timed out").asRuntimeException());
    assertThat(timedOut.isUnavailable()).isTrue();
  }

  @Test
  void ourOwnDeadlineIsServiceUnavailableAndAnythingElseUnknownIsInternal() {
    ApiException ours = map(new TimeoutException());
    assertThat(ours.isUnavailable()).isTrue();
    assertThat(ours.getMessage()).contains("no answer within 5000 ms");

    ApiException other = map(Status.UNKNOWN.withDescription("something else broke").asRuntimeException());
    assertThat(other.isUnavailable()).isFalse();
    assertThat(other.code()).isEqualTo(500);
  }
}
