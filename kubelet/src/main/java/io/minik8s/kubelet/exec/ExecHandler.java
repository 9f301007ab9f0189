package io.minik8s.kubelet.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.minik8s.kubelet.cri.ExecResult;
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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code POST /exec/{namespace}/{pod}/{container}} and passes every other request on down the pipeline
 * untouched. 200 with {@code {"exitCode": n, "stdout": "<base64>", "stderr": "<base64>"}} when the command ran (a
 * non-zero exit code is still a 200); 404 for an unknown pod or container, 400 for a malformed request or a
 * container that does not run, 500 when the runtime fails; errors carry {@code {"message": "..."}}. The command
 * runs on {@code commands}, never on the I/O thread, because it may last minutes. Shared by all connections.
 */
@Sharable
public final class ExecHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final String JSON_TYPE = "application/json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(ExecHandler.class);

  private final ContainerExec exec;
  private final Executor commands;

  public ExecHandler(ContainerExec exec, Executor commands) {
    this.exec = exec;
    this.commands = commands;
  }

  @Override
  public boolean acceptInboundMessage(Object msg) throws Exception {
    return super.acceptInboundMessage(msg)
        && new QueryStringDecoder(((FullHttpRequest) msg).uri()).path().startsWith(ExecRequest.PREFIX);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!request.method().equals(HttpMethod.POST)) {
      respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, error("exec takes POST, not " + request.method()),
          keepAlive);
      return;
    }
    ExecRequest r;
    try {
      byte[] body = new byte[request.content().readableBytes()];
      request.content().getBytes(request.content().readerIndex(), body);
      r = ExecRequest.parse(request.uri(), body);
    } catch (ExecException e) {
      respond(ctx, HttpResponseStatus.valueOf(e.httpStatus()), error(e.getMessage()), keepAlive);
      return;
    }
    try {
      commands.execute(() -> run(ctx, r, keepAlive));
    } catch (RejectedExecutionException e) {
      respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, error("shutting down"), false);
    }
  }

  private void run(ChannelHandlerContext ctx, ExecRequest r, boolean keepAlive) {
    try {
      ExecResult result = exec.run(r.namespace(), r.pod(), r.container(), r.command(), r.timeout());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("exitCode", result.exitCode());
      body.put("stdout", base64(result.stdoutBytes()));
      body.put("stderr", base64(result.stderrBytes()));
      respond(ctx, HttpResponseStatus.OK, body, keepAlive);
    } catch (ExecException e) {
      log.atDebug().addKeyValue("pod", r.namespace() + "/" + r.pod()).addKeyValue("container", r.container())
          .addKeyValue("status", e.httpStatus()).log(e.getMessage());
      respond(ctx, HttpResponseStatus.valueOf(e.httpStatus()), error(e.getMessage()), keepAlive);
    } catch (RuntimeException e) {
      log.atWarn().addKeyValue("pod", r.namespace() + "/" + r.pod()).setCause(e).log("exec failed");
      respond(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, error("exec failed: " + e.getMessage()), keepAlive);
    }
  }

  private static String base64(ByteString bytes) {
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static Map<String, Object> error(String message) {
    return Map.of("message", message);
  }

  private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, Map<String, Object> body,
      boolean keepAlive) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings and numbers is JSON", e);
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON_TYPE);
    HttpUtil.setContentLength(response, bytes.length);
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
