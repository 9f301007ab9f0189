package io.minik8s.apiserver.rest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;

/**
 * The client's side of an exec WebSocket once upgraded: pings are answered and a close is returned; stdin
 * and resize messages are dropped (ExecSync takes neither, and the upgrade refused {@code -i} and {@code -t}).
 * One instance per connection; runs on its I/O thread.
 */
final class ExecWebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final WebSocketServerHandshaker handshaker;

  ExecWebSocketHandler(WebSocketServerHandshaker handshaker) {
    this.handshaker = handshaker;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof CloseWebSocketFrame) {
      handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
