package io.minik8s.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Forwards questions over UDP to upstream resolvers, one after the other: each gets {@code timeout},
 * then the next is tried. Responses are matched to questions by DNS id and source address. One
 * channel for all queries; thread-safe.
 */
public final class UdpUpstream implements Upstream, AutoCloseable {
  private final List<InetSocketAddress> servers;
  private final Duration timeout;
  private final Channel channel;
  private final Map<String, CompletableFuture<DnsResponse>> pending = new ConcurrentHashMap<>();

  public UdpUpstream(EventLoopGroup group, List<InetSocketAddress> servers, Duration timeout)
      throws InterruptedException {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no upstream resolvers");
    }
    this.servers = List.copyOf(servers);
    this.timeout = timeout;
    this.channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder(),
                new SimpleChannelInboundHandler<DatagramDnsResponse>(false) {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse response) {
                    CompletableFuture<DnsResponse> f = pending.remove(key(response.sender(), response.id()));
                    if (f == null || !f.complete(response)) {
                      response.release();
                    }
                  }
                });
          }
        })
        .bind(0).sync().channel();
  }

  @Override
  public CompletableFuture<DnsResponse> query(DnsQuestion question) {
    CompletableFuture<DnsResponse> result = new CompletableFuture<>();
    ask(question, 0, result);
    return result;
  }

  private void ask(DnsQuestion question, int server, CompletableFuture<DnsResponse> result) {
    if (server >= servers.size()) {
      result.completeExceptionally(new TimeoutException("no upstream answered " + question.name()));
      return;
    }
    InetSocketAddress to = servers.get(server);
    int id = ThreadLocalRandom.current().nextInt(1 << 16);
    String key = key(to, id);
    CompletableFuture<DnsResponse> attempt = new CompletableFuture<>();
    if (pending.putIfAbsent(key, attempt) != null) {
      ask(question, server, result); // an id in flight to that server: pick another
      return;
    }
    DatagramDnsQuery query = new DatagramDnsQuery(null, to, id).setRecursionDesired(true);
    query.setRecord(DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type(), question.dnsClass()));
    channel.writeAndFlush(query).addListener(w -> {
      if (!w.isSuccess()) {
        pending.remove(key, attempt);
        ask(question, server + 1, result);
      }
    });
    channel.eventLoop().schedule(() -> {
      if (pending.remove(key, attempt)) {
        ask(question, server + 1, result);
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    attempt.thenAccept(r -> {
      if (!result.complete(r)) {
        r.release();
      }
    });
  }

  private static String key(InetSocketAddress server, int id) {
    return server.getAddress().getHostAddress() + ":" + server.getPort() + "#" + id;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
