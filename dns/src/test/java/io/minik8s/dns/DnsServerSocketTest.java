package io.minik8s.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.Endpoints;
import io.minik8s.api.Service;
import io.minik8s.api.ServiceSpec;
import io.minik8s.client.informer.Store;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real sockets on loopback: an "upstream" DNS server serving the zone {@code upstream.test}, and a
 * server for {@code cluster.local} that forwards to it over UDP.
 */
class DnsServerSocketTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  EventLoopGroup group;
  DnsServer upstreamServer;
  UdpUpstream toUpstream;
  DnsServer server;
  UdpUpstream client;

  @BeforeEach
  void start() throws Exception {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Store<Service> upstreamServices = new Store<>();
    upstreamServices.put(DnsQueryHandlerTest.service("ns", "far", ServiceSpec.newBuilder().setType("ClusterIP")
        .setClusterIp("192.0.2.44")));
    Upstream never = q -> new CompletableFuture<>();
    upstreamServer = new DnsServer(group, new InetSocketAddress(LOOPBACK, 0), new DnsQueryHandler(
        new ClusterZone("upstream.test", upstreamServices, new Store<>()), never, new DnsMetrics(new SimpleMeterRegistry())));
    toUpstream = new UdpUpstream(group, List.of(new InetSocketAddress(LOOPBACK, upstreamServer.port())),
        Duration.ofSeconds(2));
    Store<Service> services = new Store<>();
    services.put(DnsQueryHandlerTest.service("default", "web", ServiceSpec.newBuilder().setType("ClusterIP")
        .setClusterIp("10.96.0.30")));
    server = new DnsServer(group, new InetSocketAddress(LOOPBACK, 0), new DnsQueryHandler(
        new ClusterZone("cluster.local", services, new Store<Endpoints>()), toUpstream,
        new DnsMetrics(new SimpleMeterRegistry())));
    client = new UdpUpstream(group, List.of(new InetSocketAddress(LOOPBACK, server.port())), Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    toUpstream.close();
    upstreamServer.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private DnsResponse ask(UdpUpstream via, String name) throws Exception {
    return via.query(new DefaultDnsQuestion(name, DnsRecordType.A)).get(5, TimeUnit.SECONDS);
  }

  @Test
  void answersClusterNamesOverUdp() throws Exception {
    DnsResponse r = ask(client, "web.default.svc.cluster.local.");
    try {
      assertThat(r.code()).isEqualTo(DnsResponseCode.NOERROR);
      assertThat(DnsQueryHandlerTest.answers(r, DnsSection.ANSWER))
          .containsExactly("A web.default.svc.cluster.local. 10.96.0.30");
    } finally {
      r.release();
    }
  }

  @Test
  void forwardsOtherNamesToTheUpstreamOverUdp() throws Exception {
    DnsResponse r = ask(client, "far.ns.svc.upstream.test.");
    try {
      assertThat(r.code()).isEqualTo(DnsResponseCode.NOERROR);
      assertThat(DnsQueryHandlerTest.answers(r, DnsSection.ANSWER))
          .containsExactly("A far.ns.svc.upstream.test. 192.0.2.44");
    } finally {
      r.release();
    }
    DnsResponse nx = ask(client, "gone.ns.svc.upstream.test.");
    try {
      assertThat(nx.code()).as("the upstream's NXDOMAIN is passed on").isEqualTo(DnsResponseCode.NXDOMAIN);
    } finally {
      nx.release();
    }
  }

  @Test
  void anUpstreamThatNeverAnswersTimesOut() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, LOOPBACK);
        UdpUpstream toSilent = new UdpUpstream(group, List.of(new InetSocketAddress(LOOPBACK, silent.getLocalPort())),
            Duration.ofMillis(200))) {
      long start = System.nanoTime();
      assertThat(toSilent.query(new DefaultDnsQuestion("example.com.", DnsRecordType.A)))
          .failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
  }

  @Test
  void answersOverTcp() throws Exception {
    // A query for web.default.svc.cluster.local A, id 0x1234, RD set, in wire format with TCP's length prefix.
    byte[] name = encodeName("web.default.svc.cluster.local");
    java.io.ByteArrayOutputStream msg = new java.io.ByteArrayOutputStream();
    DataOutputStream m = new DataOutputStream(msg);
    m.writeShort(0x1234);
    m.writeShort(0x0100);
    m.writeShort(1);
    m.writeShort(0);
    m.writeShort(0);
    m.writeShort(0);
    m.write(name);
    m.writeShort(1);
    m.writeShort(1);
    try (Socket s = new Socket(LOOPBACK, server.port())) {
      s.setSoTimeout(5000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(msg.size());
      out.write(msg.toByteArray());
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] reply = new byte[in.readUnsignedShort()];
      in.readFully(reply);
      assertThat(((reply[0] & 0xFF) << 8) | (reply[1] & 0xFF)).isEqualTo(0x1234);
      assertThat(reply[3] & 0x0F).as("rcode").isZero();
      assertThat(((reply[6] & 0xFF) << 8) | (reply[7] & 0xFF)).as("answer count").isEqualTo(1);
      byte[] last4 = java.util.Arrays.copyOfRange(reply, reply.length - 4, reply.length);
      assertThat(InetAddress.getByAddress(last4).getHostAddress()).isEqualTo("10.96.0.30");
    }
  }

  private static byte[] encodeName(String name) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (String label : name.split("\\.")) {
      b.write(label.length());
      b.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    b.write(0);
    return b.toByteArray();
  }
}
