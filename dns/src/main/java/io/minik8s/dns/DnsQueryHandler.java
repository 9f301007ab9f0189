package io.minik8s.dns;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one DNS query (UDP or TCP): from the {@link ClusterZone} for names in the cluster domain,
 * else with what the {@link Upstream} says (SERVFAIL when it does not answer in time). Stateless and
 * shared by every channel.
 */
@ChannelHandler.Sharable
public final class DnsQueryHandler extends SimpleChannelInboundHandler<DnsQuery> {
  private static final Logger log = LoggerFactory.getLogger(DnsQueryHandler.class);

  private final ClusterZone zone;
  private final Upstream upstream;
  private final DnsMetrics metrics;

  public DnsQueryHandler(ClusterZone zone, Upstream upstream, DnsMetrics metrics) {
    this.zone = zone;
    this.upstream = upstream;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
    DnsQuestion question = query.recordAt(DnsSection.QUESTION);
    if (question == null) {
      send(ctx, query, null, responseTo(query).setCode(DnsResponseCode.FORMERR));
      return;
    }
    DnsQuestion q = new DefaultDnsQuestion(question.name(), question.type(), question.dnsClass());
    ZoneAnswer answer = zone.answer(q.name(), q.type());
    if (answer instanceof ZoneAnswer.NotInZone) {
      forward(ctx, query, q);
      return;
    }
    DnsResponse response = responseTo(query).setAuthoritativeAnswer(true);
    if (answer instanceof ZoneAnswer.Found found) {
      found.answers().forEach(r -> response.addRecord(DnsSection.ANSWER, r));
      found.additionals().forEach(r -> response.addRecord(DnsSection.ADDITIONAL, r));
      response.setCode(DnsResponseCode.NOERROR);
    } else {
      response.setCode(DnsResponseCode.NXDOMAIN);
    }
    send(ctx, query, q, response);
  }

  private void forward(ChannelHandlerContext ctx, DnsQuery query, DnsQuestion q) {
    // The query is released when channelRead0 returns: keep what the reply needs.
    DnsResponse response = responseTo(query);
    upstream.query(q).whenComplete((upstreamResponse, error) -> ctx.executor().execute(() -> {
      if (error != null) {
        log.debug("upstream did not answer {}: {}", q.name(), error.toString());
        send(ctx, null, q, response.setCode(DnsResponseCode.SERVFAIL));
        return;
      }
      try {
        response.setCode(upstreamResponse.code());
        for (DnsSection section : new DnsSection[] {DnsSection.ANSWER, DnsSection.AUTHORITY, DnsSection.ADDITIONAL}) {
          for (int i = 0; i < upstreamResponse.count(section); i++) {
            DnsRecord r = upstreamResponse.recordAt(section, i);
            if (r instanceof DnsRawRecord raw) {
              response.addRecord(section, raw.retainedDuplicate());
            }
          }
        }
      } finally {
        upstreamResponse.release();
      }
      send(ctx, null, q, response);
    }));
  }

  /** An empty response to {@code query}, to the address it came from. */
  private static DnsResponse responseTo(DnsQuery query) {
    DnsResponse response = query instanceof DatagramDnsQuery dq
        ? new DatagramDnsResponse(dq.recipient(), dq.sender(), query.id())
        : new DefaultDnsResponse(query.id());
    response.setRecursionDesired(query.isRecursionDesired()).setRecursionAvailable(true);
    return response;
  }

  private void send(ChannelHandlerContext ctx, DnsQuery query, DnsQuestion q, DnsResponse response) {
    if (q != null) {
      response.addRecord(DnsSection.QUESTION, q);
    }
    metrics.answered(q == null ? DnsRecordType.valueOf(0) : q.type(), response.code());
    ctx.writeAndFlush(response);
  }
}
