package io.minik8s.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import java.net.InetSocketAddress;

/**
 * Serves DNS on one address over UDP and TCP with a shared {@link DnsQueryHandler}. With port 0 the UDP
 * channel gets an ephemeral port and TCP binds the same one. {@link #close} unbinds both.
 */
public final class DnsServer implements AutoCloseable {
  private final Channel udp;
  private final Channel tcp;

  public DnsServer(EventLoopGroup group, InetSocketAddress listen, DnsQueryHandler handler) throws InterruptedException {
    this.udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
        .handler(new ChannelInitializer<DatagramChannel>() {
          @Override
          protected void initChannel(DatagramChannel ch) {
            ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), handler);
          }
        })
        .bind(listen).sync().channel();
    int port = ((InetSocketAddress) udp.localAddress()).getPort();
    try {
      this.tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), handler);
            }
          })
          .bind(new InetSocketAddress(listen.getAddress(), port)).sync().channel();
    } catch (RuntimeException | InterruptedException e) {
      udp.close();
      throw e;
    }
  }

  public int port() {
    return ((InetSocketAddress) udp.localAddress()).getPort();
  }

  @Override
  public void close() {
    udp.close().syncUninterruptibly();
    tcp.close().syncUninterruptibly();
  }
}
