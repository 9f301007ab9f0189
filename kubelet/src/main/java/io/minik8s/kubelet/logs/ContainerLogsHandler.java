package io.minik8s.kubelet.logs;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET /containerLogs/{namespace}/{pod}/{container}}: 200 with the log as chunked plain
 * text, 404 when there is no such container (or no previous one), 400 for a malformed request. The
 * log is read and streamed on {@code streams}, never on the I/O thread, because a follow may last as
 * long as the client stays. Shared by all connections.
 */
@Sharable
final class ContainerLogsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(ContainerLogsHandler.class);

  private final ContainerLogs logs;
  private final LogStreamer streamer;
  private final ExecutorService streams;

  ContainerLogsHandler(ContainerLogs logs, LogStreamer streamer, ExecutorService streams) {
    this.logs = logs;
    this.streamer = streamer;
    this.streams = streams;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!request.decoderResult().isSuccess()) {
      respond(ctx, HttpResponseStatus.BAD_REQUEST, "bad request\n", keepAlive);
      return;
    }
    if (!request.method().equals(HttpMethod.GET)) {
      respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n", keepAlive);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    if (path.equals("/healthz")) {
      respond(ctx, HttpResponseStatus.OK, "ok", keepAlive);
      return;
    }
    if (!path.startsWith(LogRequest.PREFIX)) {
      respond(ctx, HttpResponseStatus.NOT_FOUND, "404 page not found\n", keepAlive);
      return;
    }
    LogRequest logRequest;
    try {
      logRequest = LogRequest.parse(request.uri());
    } catch (IllegalArgumentException e) {
      respond(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n", keepAlive);
      return;
    }
    try {
      streams.execute(() -> serve(ctx, logRequest, keepAlive));
    } catch (RejectedExecutionException e) {
      respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting down\n", false);
    }
  }

  private void serve(ChannelHandlerContext ctx, LogRequest r, boolean keepAlive) {
    Optional<ContainerLogs.Location> location;
    try {
      location = logs.find(r.namespace(), r.pod(), r.container(), r.previous());
    } catch (RuntimeException e) {
      respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot look up the container: " + e.getMessage() + "\n",
          keepAlive);
      return;
    }
    if (location.isEmpty()) {
      String what = r.previous() ? "previous terminated container \"" + r.container() + "\"" : "container \""
          + r.container() + "\"";
      respond(ctx, HttpResponseStatus.NOT_FOUND, what + " in pod \"" + r.pod() + "\" in namespace \""
          + r.namespace() + "\" not found\n", keepAlive);
      return;
    }
    // The head goes out once what the log held has been read (Sink.opened), so a follower with tailLines=0
    // misses nothing written after it has been told the stream began.
    AtomicBoolean headSent = new AtomicBoolean();
    Runnable sendHead = () -> {
      if (headSent.compareAndSet(false, true)) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
        HttpUtil.setTransferEncodingChunked(head, true);
        if (keepAlive) {
          head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(head);
      }
    };
    try {
      streamer.stream(r, location.get(), new LogStreamer.Sink() {
        @Override
        public void opened() {
          sendHead.run();
        }

        @Override
        public boolean write(String text) {
          if (!ctx.channel().isActive()) {
            return false;
          }
          // Waiting for each chunk to be written keeps a slow client from filling the kubelet's memory.
          ChannelFuture f = ctx.writeAndFlush(new DefaultHttpContent(
              Unpooled.copiedBuffer(text, StandardCharsets.UTF_8))).awaitUninterruptibly();
          return f.isSuccess();
        }

        @Override
        public boolean open() {
          return ctx.channel().isActive();
        }
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.atDebug().addKeyValue("container", r.container()).setCause(e).log("log stream failed");
      if (!headSent.get()) {
        respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot read the log: " + e.getMessage() + "\n",
            keepAlive);
        return;
      }
    }
    sendHead.run();
    ChannelFuture end = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    if (!keepAlive) {
      end.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.atDebug().setCause(cause).log("log connection failed");
    ctx.close();
  }
}
