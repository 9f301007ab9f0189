package io.minik8s.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.client.informer.Store;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The answers of the DNS handler, through Netty's embedded channel, with an in-memory upstream. */
class DnsQueryHandlerTest {
  static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
  static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);

  final Store<Service> services = new Store<>();
  final Store<Endpoints> endpoints = new Store<>();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final List<String> forwarded = new ArrayList<>();
  Upstream upstream = q -> {
    forwarded.add(q.name());
    DnsResponse r = new io.netty.handler.codec.dns.DefaultDnsResponse(1);
    r.addRecord(DnsSection.ANSWER, DnsRecords.a(q.name(), 60, "93.184.216.34"));
    return CompletableFuture.completedFuture(r);
  };
  EmbeddedChannel channel;

  @AfterEach
  void close() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  static Service service(String ns, String name, ServiceSpec.Builder spec) {
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name)).setSpec(spec).build();
  }

  DnsResponse ask(String name, DnsRecordType type) {
    if (channel == null) {
      channel = new EmbeddedChannel(new DnsQueryHandler(new ClusterZone("cluster.local", services, endpoints),
          q -> upstream.query(q), new DnsMetrics(meters)));
    }
    DatagramDnsQuery query = new DatagramDnsQuery(CLIENT, SERVER, 7).setRecursionDesired(true);
    query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
    channel.writeInbound(query);
    channel.runPendingTasks();
    DatagramDnsResponse response = channel.readOutbound();
    assertThat(response).as("a response to " + name).isNotNull();
    assertThat(response.id()).isEqualTo(7);
    assertThat(response.recipient()).isEqualTo(CLIENT);
    assertThat(response.<DnsRecord>recordAt(DnsSection.QUESTION).name()).isEqualTo(name);
    return response;
  }

  static List<String> answers(DnsResponse r, DnsSection section) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < r.count(section); i++) {
      DnsRawRecord rec = r.recordAt(section, i);
      out.add(rec.type().name() + " " + rec.name() + " " + content(rec.type(), rec.content()));
    }
    return out;
  }

  static String content(DnsRecordType type, ByteBuf b) {
    b = b.duplicate();
    if (type == DnsRecordType.A) {
      return (b.readByte() & 0xFF) + "." + (b.readByte() & 0xFF) + "." + (b.readByte() & 0xFF) + "." + (b.readByte() & 0xFF);
    }
    String prefix = "";
    if (type == DnsRecordType.SRV) {
      prefix = b.readUnsignedShort() + " " + b.readUnsignedShort() + " " + b.readUnsignedShort() + " ";
    }
    StringBuilder name = new StringBuilder();
    for (int len = b.readUnsignedByte(); len > 0; len = b.readUnsignedByte()) {
      name.append(b.readCharSequence(len, java.nio.charset.StandardCharsets.US_ASCII)).append('.');
    }
    return prefix + name;
  }

  @Test
  void clusterIpServiceAnswersItsIp() {
    services.put(service("default", "web", ServiceSpec.newBuilder().setType("ClusterIP").setClusterIp("10.96.0.20")
        .addPorts(ServicePort.newBuilder().setName("http").setPort(80).setProtocol("TCP"))));
    DnsResponse r = ask("web.default.svc.cluster.local.", DnsRecordType.A);
    assertThat(r.code()).isEqualTo(DnsResponseCode.NOERROR);
    assertThat(r.isAuthoritativeAnswer()).isTrue();
    assertThat(answers(r, DnsSection.ANSWER)).containsExactly("A web.default.svc.cluster.local. 10.96.0.20");
    assertThat(answers(ask("WEB.default.svc.cluster.local.", DnsRecordType.AAAA), DnsSection.ANSWER)).isEmpty();
    assertThat(meters.get("dns_queries").tag("type", "A").tag("rcode", "NoError").counter().count()).isEqualTo(1);
  }

  @Test
  void headlessServiceAnswersItsReadyEndpoints() {
    services.put(service("default", "db", ServiceSpec.newBuilder().setType("ClusterIP").setClusterIp("None")));
    endpoints.put(Endpoints.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName("db"))
        .addSubsets(EndpointSubset.newBuilder()
            .addAddresses(EndpointAddress.newBuilder().setIp("10.244.1.5"))
            .addAddresses(EndpointAddress.newBuilder().setIp("10.244.2.6"))
            .addNotReadyAddresses(EndpointAddress.newBuilder().setIp("10.244.3.7"))
            .addPorts(EndpointPort.newBuilder().setName("pg").setPort(5432).setProtocol("TCP")))
        .build());
    assertThat(answers(ask("db.default.svc.cluster.local.", DnsRecordType.A), DnsSection.ANSWER)).containsExactly(
        "A db.default.svc.cluster.local. 10.244.1.5", "A db.default.svc.cluster.local. 10.244.2.6");
    assertThat(answers(ask("10-244-2-6.db.default.svc.cluster.local.", DnsRecordType.A), DnsSection.ANSWER))
        .containsExactly("A 10-244-2-6.db.default.svc.cluster.local. 10.244.2.6");
  }

  @Test
  void externalNameAnswersACname() {
    services.put(service("default", "ext", ServiceSpec.newBuilder().setType("ExternalName").setExternalName("example.com")));
    DnsResponse r = ask("ext.default.svc.cluster.local.", DnsRecordType.A);
    assertThat(r.code()).isEqualTo(DnsResponseCode.NOERROR);
    assertThat(answers(r, DnsSection.ANSWER)).containsExactly("CNAME ext.default.svc.cluster.local. example.com.");
  }

  @Test
  void srvRecordsForNamedPorts() {
    services.put(service("shop", "web", ServiceSpec.newBuilder().setType("ClusterIP").setClusterIp("10.96.0.21")
        .addPorts(ServicePort.newBuilder().setName("http").setPort(80).setProtocol("TCP"))));
    DnsResponse r = ask("_http._tcp.web.shop.svc.cluster.local.", DnsRecordType.SRV);
    assertThat(answers(r, DnsSection.ANSWER)).containsExactly(
        "SRV _http._tcp.web.shop.svc.cluster.local. 0 100 80 web.shop.svc.cluster.local.");
    assertThat(answers(r, DnsSection.ADDITIONAL)).containsExactly("A web.shop.svc.cluster.local. 10.96.0.21");
    assertThat(ask("_http._udp.web.shop.svc.cluster.local.", DnsRecordType.SRV).code())
        .isEqualTo(DnsResponseCode.NXDOMAIN);
  }

  @Test
  void unknownNamesInTheClusterDomainAreNxDomain() {
    assertThat(ask("nope.default.svc.cluster.local.", DnsRecordType.A).code()).isEqualTo(DnsResponseCode.NXDOMAIN);
    assertThat(ask("foo.cluster.local.", DnsRecordType.A).code()).isEqualTo(DnsResponseCode.NXDOMAIN);
    assertThat(ask("svc.cluster.local.", DnsRecordType.A).code()).isEqualTo(DnsResponseCode.NOERROR);
    assertThat(forwarded).isEmpty();
    assertThat(meters.get("dns_queries").tag("rcode", "NXDomain").counter().count()).isEqualTo(2);
  }

  @Test
  void otherNamesAreForwardedUpstream() {
    DnsResponse r = ask("example.com.", DnsRecordType.A);
    assertThat(forwarded).containsExactly("example.com.");
    assertThat(r.code()).isEqualTo(DnsResponseCode.NOERROR);
    assertThat(r.isAuthoritativeAnswer()).isFalse();
    assertThat(answers(r, DnsSection.ANSWER)).containsExactly("A example.com. 93.184.216.34");
  }

  @Test
  void anUpstreamThatDoesNotAnswerGivesServFail() {
    upstream = q -> CompletableFuture.failedFuture(new TimeoutException("no answer"));
    DnsResponse r = ask("example.org.", DnsRecordType.A);
    assertThat(r.code()).isEqualTo(DnsResponseCode.SERVFAIL);
  }
}
