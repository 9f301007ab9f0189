package io.minik8s.controllermanager.deployment;

import com.google.protobuf.CodedOutputStream;
import io.minik8s.api.PodTemplateSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The {@code pod-template-hash} of a Deployment's pod template: names its ReplicaSet
 * ({@code <deployment>-<hash>}) and labels that ReplicaSet's selector, template and pods.
 *
 * <p>Stable: FNV-1a (32 bit) over the template's deterministic protobuf encoding (map entries sorted),
 * of its {@link PodTemplates#canonical} form (no {@code pod-template-hash} label, no empty messages), written in the consonant-and-digit
 * alphabet Kubernetes uses for generated names (so no vowels, no accidental words). The same template
 * gives the same hash in every process and every run. A collision count is folded in when given.
 */
public final class PodTemplateHash {
  public static final String LABEL = "pod-template-hash";
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private PodTemplateHash() {}

  public static String of(PodTemplateSpec template) {
    return of(template, 0);
  }

  public static String of(PodTemplateSpec template, int collisionCount) {
    PodTemplateSpec withoutHash = PodTemplates.canonical(template);
    int hash = 0x811c9dc5;
    for (byte b : deterministicBytes(withoutHash)) {
      hash ^= (b & 0xff);
      hash *= 0x01000193;
    }
    if (collisionCount > 0) {
      for (byte b : Integer.toString(collisionCount).getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
        hash ^= (b & 0xff);
        hash *= 0x01000193;
      }
    }
    long value = Integer.toUnsignedLong(hash);
    StringBuilder s = new StringBuilder();
    do {
      s.append(ALPHABET.charAt((int) (value % ALPHABET.length())));
      value /= ALPHABET.length();
    } while (value > 0);
    return s.toString();
  }

  private static byte[] deterministicBytes(PodTemplateSpec template) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      template.writeTo(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("cannot happen: writing to memory", e);
    }
  }
}
