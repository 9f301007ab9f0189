package io.minik8s.client.server;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET /healthz}, {@code /livez}, {@code /readyz[?verbose]} and {@code /metrics}.
 * Stateless apart from what it is given; shared by every connection.
 *
 * <p>{@code /readyz} answers 200 {@code ok} when every check passes, else 503 with one line per failed
 * check ({@code [-]name failed: reason}); with {@code ?verbose} every check gets a line, Kubernetes'
 * format.
 */
@Sharable
public final class HealthHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(HealthHandler.class);

  private final PrometheusMeterRegistry registry;
  private final HealthChecks readiness;

  public HealthHandler(PrometheusMeterRegistry registry, HealthChecks readiness) {
    this.registry = registry;
    this.readiness = readiness;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    FullHttpResponse response;
    if (!request.decoderResult().isSuccess()) {
      response = text(HttpResponseStatus.BAD_REQUEST, "bad request\n", TEXT);
    } else if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
      response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n", TEXT);
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
    } else {
      response = route(new QueryStringDecoder(request.uri()));
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    if (request.method().equals(HttpMethod.HEAD)) {
      response = response.replace(Unpooled.EMPTY_BUFFER);
    }
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private FullHttpResponse route(QueryStringDecoder query) {
    switch (query.path()) {
      case "/healthz":
      case "/livez":
        return text(HttpResponseStatus.OK, "ok", TEXT);
      case "/readyz":
        return readyz(query.parameters().containsKey("verbose"));
      case "/metrics":
        return text(HttpResponseStatus.OK, registry.scrape(), METRICS_CONTENT_TYPE);
      default:
        return text(HttpResponseStatus.NOT_FOUND, "404 page not found\n", TEXT);
    }
  }

  private FullHttpResponse readyz(boolean verbose) {
    List<HealthChecks.Outcome> outcomes = readiness.run();
    boolean ready = outcomes.stream().allMatch(HealthChecks.Outcome::healthy);
    if (ready && !verbose) {
      return text(HttpResponseStatus.OK, "ok", TEXT);
    }
    StringBuilder body = new StringBuilder();
    for (HealthChecks.Outcome o : outcomes) {
      if (o.healthy()) {
        if (verbose) {
          body.append("[+]").append(o.name()).append(" ok\n");
        }
      } else {
        body.append("[-]").append(o.name()).append(" failed: ").append(o.message()).append('\n');
      }
    }
    body.append(ready ? "readyz check passed\n" : "readyz check failed\n");
    if (!ready) {
      log.atDebug().addKeyValue("body", body).log("not ready");
    }
    return text(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body.toString(), TEXT);
  }

  private static FullHttpResponse text(HttpResponseStatus status, String body, String contentType) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
        status, content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.atDebug().setCause(cause).log("health connection failed");
    ctx.close();
  }
}
