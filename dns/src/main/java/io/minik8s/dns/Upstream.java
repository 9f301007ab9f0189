package io.minik8s.dns;

import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsResponse;
import java.util.concurrent.CompletableFuture;

/** Where names outside the cluster domain are resolved. */
public interface Upstream {
  /**
   * Asks the question; the future completes with the upstream's response (which the caller must
   * release) or fails on timeout / when no upstream answered.
   */
  CompletableFuture<DnsResponse> query(DnsQuestion question);
}
