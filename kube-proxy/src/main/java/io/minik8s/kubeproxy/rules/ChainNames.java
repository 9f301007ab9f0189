package io.minik8s.kubeproxy.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Names of the per-service and per-endpoint chains: prefix + the first 80 bits of a SHA-256 of what the
 * chain stands for, in base32 (16 characters). "MINIK8S-SVC-" + 16 = 28 characters, the longest name
 * iptables accepts. Stable across restarts, so a restarted proxy adopts the chains it made before.
 */
public final class ChainNames {
  public static final String SERVICES = "MINIK8S-SERVICES";
  public static final String NODEPORTS = "MINIK8S-NODEPORTS";
  public static final String POSTROUTING = "MINIK8S-POSTROUTING";
  public static final String MARK_MASQ = "MINIK8S-MARK-MASQ";
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private ChainNames() {}

  public static String service(ServiceInfo svc) {
    return "MINIK8S-SVC-" + hash(svc.key() + "/" + svc.protocol());
  }

  public static String external(ServiceInfo svc) {
    return "MINIK8S-EXT-" + hash(svc.key() + "/" + svc.protocol());
  }

  public static String endpoint(ServiceInfo svc, EndpointsInfo.Endpoint endpoint) {
    return "MINIK8S-SEP-" + hash(svc.key() + "/" + svc.protocol() + "/" + endpoint);
  }

  static String hash(String text) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    // 10 bytes = 80 bits = exactly 16 base32 digits.
    StringBuilder out = new StringBuilder(16);
    long bits = 0;
    int count = 0;
    for (int i = 0; i < 10; i++) {
      bits = (bits << 8) | (digest[i] & 0xff);
      count += 8;
      while (count >= 5) {
        out.append(BASE32[(int) (bits >>> (count - 5)) & 31]);
        count -= 5;
      }
    }
    return out.toString();
  }
}
