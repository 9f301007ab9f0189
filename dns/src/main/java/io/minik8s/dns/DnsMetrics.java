package io.minik8s.dns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;

/** {@code dns_queries_total{type, rcode}}: every answered query, by question type and response code. */
public final class DnsMetrics {
  private final MeterRegistry registry;

  public DnsMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void answered(DnsRecordType type, DnsResponseCode code) {
    Counter.builder("dns_queries").description("DNS queries answered, by question type and response code")
        .tag("type", type.name()).tag("rcode", code.toString().replaceAll("\\(.*", ""))
        .register(registry).increment();
  }
}
