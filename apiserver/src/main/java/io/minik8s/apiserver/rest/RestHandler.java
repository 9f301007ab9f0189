package io.minik8s.apiserver.rest;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.minik8s.client.api.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: each whole request becomes a {@link RestRequest}, is answered by the
 * {@link RestApi} on the work executor (it may wait for etcd; the I/O thread never does), and the answer is
 * written back: a complete response, or for a watch a chunked one fed by the {@link RestResponse.StreamBody}
 * until it ends or the client goes away; for pods/exec a WebSocket (see {@link ExecEndpoint}).
 *
 * <p>One instance per connection. HTTP/1.1 clients (kubectl, client-go) send one request at a time on a
 * connection, so responses cannot overtake each other. Back-pressure: the stream's producer is told when the
 * connection's outbound buffer passes its high-water mark and resumed when it drains.
 */
final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(RestHandler.class);

  private final RestApi api;
  private final ExecEndpoint execs;
  private final Executor work;
  private final RequestMetrics metrics;
  /** What to run when the channel becomes writable again (a paused stream's resume). */
  private final AtomicReference<Runnable> onWritable = new AtomicReference<>();

  RestHandler(RestApi api, ExecEndpoint execs, Executor work, RequestMetrics metrics) {
    this.api = api;
    this.execs = execs;
    this.work = work;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      writeFull(ctx, RestResponse.Full.text(400, "malformed HTTP request"), false);
      return;
    }
    RestRequest rest = toRestRequest(request);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean upgrade = "websocket".equalsIgnoreCase(rest.upgrade());
    FullHttpRequest retained = upgrade ? request.retainedDuplicate() : null;
    try {
      work.execute(() -> {
        if (upgrade) {
          upgradeToExec(ctx, rest, retained);
        } else {
          respond(ctx, rest, keepAlive);
        }
      });
    } catch (RejectedExecutionException e) {
      if (retained != null) {
        retained.release();
      }
      writeFull(ctx, RestResponse.Full.text(503, "the API server is shutting down"), false);
    }
  }

  /**
   * pods/exec: checks the request and finds the container (on the work executor), then upgrades the
   * connection to a WebSocket (on the I/O thread), runs the command and sends its output and Status.
   */
  private void upgradeToExec(ChannelHandlerContext ctx, RestRequest rest, FullHttpRequest request) {
    long start = System.nanoTime();
    ExecEndpoint.Call call;
    try {
      call = execs.open(rest);
    } catch (ApiException e) {
      request.release();
      RestResponse.Full error = api.error(e);
      writeFull(ctx, error, false);
      metrics.record(rest, error.status(), start);
      return;
    }
    ctx.executor().execute(() -> {
      try {
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
            "ws://" + rest.host() + request.uri(), ExecEndpoint.SUBPROTOCOLS, false, 1 << 20).newHandshaker(request);
        if (handshaker == null) {
          WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
          return;
        }
        handshaker.handshake(ctx.channel(), request).addListener(done -> {
          if (!done.isSuccess()) {
            ctx.close();
            return;
          }
          ctx.pipeline().replace(this, "exec", new ExecWebSocketHandler(handshaker));
          work.execute(() -> {
            for (byte[] message : execs.run(call)) {
              ctx.channel().writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(message)));
            }
            handshaker.close(ctx.channel(), new CloseWebSocketFrame(1000, ""));
            metrics.record(rest, 101, start);
          });
        });
      } finally {
        request.release();
      }
    });
  }

  private void respond(ChannelHandlerContext ctx, RestRequest request, boolean keepAlive) {
    long start = System.nanoTime();
    RestResponse response = api.handle(request);
    if (response instanceof RestResponse.Full full) {
      writeFull(ctx, full, keepAlive);
      metrics.record(request, full.status(), start);
    } else {
      stream(ctx, (RestResponse.Streaming) response, keepAlive, () -> metrics.record(request, 200, start));
    }
  }

  private static RestRequest toRestRequest(FullHttpRequest request) {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
    Map<String, java.util.List<String>> query = uri.parameters();
    return new RestRequest(request.method().name(), uri.rawPath(), query,
        header(request, HttpHeaderNames.ACCEPT), header(request, HttpHeaderNames.CONTENT_TYPE),
        header(request, HttpHeaderNames.HOST), header(request, HttpHeaderNames.UPGRADE),
        ByteBufUtil.getBytes(request.content()));
  }

  private static String header(FullHttpRequest request, CharSequence name) {
    String value = request.headers().get(name);
    return value == null ? "" : value;
  }

  private static void writeFull(ChannelHandlerContext ctx, RestResponse.Full full, boolean keepAlive) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(full.status()), Unpooled.wrappedBuffer(full.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, full.contentType());
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, full.body().length);
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** @param ended runs once when the stream ends, whoever ends it */
  private void stream(ChannelHandlerContext ctx, RestResponse.Streaming streaming, boolean keepAlive,
      Runnable ended) {
    RestResponse.StreamBody body = streaming.body();
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, streaming.contentType());
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    HttpUtil.setKeepAlive(head, keepAlive);
    ctx.writeAndFlush(head);
    ChannelChunkSink sink = new ChannelChunkSink(ctx, keepAlive, ended);
    Runnable stop = body.start(sink);
    // Runs at once when the connection is already gone.
    ctx.channel().closeFuture().addListener(f -> {
      stop.run();
      sink.ended();
    });
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Runnable action = onWritable.get();
    if (action != null && ctx.channel().isWritable()) {
      action.run();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      log.warn("REST connection from {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }

  /** A stream's chunks on this connection. Writes may come from any thread; Netty orders them per caller. */
  private final class ChannelChunkSink implements RestResponse.ChunkSink {
    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private final Runnable onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();

    ChannelChunkSink(ChannelHandlerContext ctx, boolean keepAlive, Runnable onEnd) {
      this.ctx = ctx;
      this.keepAlive = keepAlive;
      this.onEnd = onEnd;
    }

    /** The stream is over (ended here, or its connection closed): runs {@code onEnd} the first time. */
    void ended() {
      if (ended.compareAndSet(false, true)) {
        onWritable.set(null);
        onEnd.run();
      }
    }

    @Override
    public boolean write(byte[] chunk) {
      if (ended.get()) {
        return true;
      }
      ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
      return ctx.channel().isWritable();
    }

    @Override
    public void end() {
      if (ended.compareAndSet(false, true)) {
        onWritable.set(null);
        onEnd.run();
        var written = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        if (!keepAlive) {
          written.addListener(ChannelFutureListener.CLOSE);
        }
      }
    }

    @Override
    public void onWritable(Runnable action) {
      onWritable.set(action);
    }
  }
}
