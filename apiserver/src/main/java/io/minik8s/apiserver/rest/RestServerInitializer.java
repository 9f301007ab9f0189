package io.minik8s.apiserver.rest;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.Executor;

/** The pipeline of one REST connection: TLS (when configured), HTTP/1.1 codec, whole requests, the handler. */
final class RestServerInitializer extends ChannelInitializer<SocketChannel> {
  /** A little over the largest object etcd takes (1.5 MiB), so that the registry is the one to refuse it. */
  private static final int MAX_REQUEST_BYTES = 3 * 1024 * 1024;

  private final RestApi api;
  private final ExecEndpoint execs;
  private final Executor work;
  private final ChannelGroup connections;
  private final SslContext tls;
  private final RequestMetrics metrics;

  RestServerInitializer(RestApi api, ExecEndpoint execs, Executor work, ChannelGroup connections, SslContext tls,
      RequestMetrics metrics) {
    this.api = api;
    this.execs = execs;
    this.metrics = metrics;
    this.work = work;
    this.connections = connections;
    this.tls = tls;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    connections.add(ch);
    if (tls != null) {
      ch.pipeline().addLast(tls.newHandler(ch.alloc()));
    }
    ch.pipeline()
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
        .addLast(new RestHandler(api, execs, work, metrics));
  }
}
