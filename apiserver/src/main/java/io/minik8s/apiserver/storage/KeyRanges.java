package io.minik8s.apiserver.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** etcd key ranges over UTF-8 keys: the end of a prefix range, the first key after a key. */
final class KeyRanges {
  private KeyRanges() {}

  static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The smallest key greater than every key starting with {@code prefix}: the prefix with its last
   * byte below 0xff incremented. An empty prefix (or one of only 0xff bytes) means "to the end of
   * the keyspace", which etcd spells as the single byte 0.
   */
  static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xff) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return new byte[] {0};
  }

  /** The smallest key greater than {@code key}: the key followed by a zero byte. */
  static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }
}
