package io.minik8s.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import java.nio.charset.StandardCharsets;

/** Builds the answer records the cluster zone gives (A, CNAME, SRV), as wire-format records. */
final class DnsRecords {
  private DnsRecords() {}

  static DnsRecord a(String name, long ttl, String ipv4) {
    String[] parts = ipv4.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      bytes[i] = (byte) Integer.parseInt(parts[i]);
    }
    return new DefaultDnsRawRecord(fqdn(name), DnsRecordType.A, ttl, Unpooled.wrappedBuffer(bytes));
  }

  static DnsRecord cname(String name, long ttl, String target) {
    ByteBuf content = Unpooled.buffer();
    writeName(content, target);
    return new DefaultDnsRawRecord(fqdn(name), DnsRecordType.CNAME, ttl, content);
  }

  static DnsRecord srv(String name, long ttl, int priority, int weight, int port, String target) {
    ByteBuf content = Unpooled.buffer();
    content.writeShort(priority).writeShort(weight).writeShort(port);
    writeName(content, target);
    return new DefaultDnsRawRecord(fqdn(name), DnsRecordType.SRV, ttl, content);
  }

  /** Whether {@code s} is a dotted IPv4 address (an A record can be made of it). */
  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  static String fqdn(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  /** A domain name in wire format, uncompressed. */
  private static void writeName(ByteBuf out, String name) {
    for (String label : fqdn(name).split("\\.")) {
      if (label.isEmpty()) {
        continue;
      }
      byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
      out.writeByte(bytes.length).writeBytes(bytes);
    }
    out.writeByte(0);
  }
}
