package io.minik8s.client.codec;

import com.google.protobuf.Message;
import io.minik8s.client.api.Kind;

/**
 * One API object read from a manifest, with where it came from (for messages that point the user
 * back at the file).
 *
 * @param kind the kind chosen by the manifest's {@code apiVersion} and {@code kind}
 * @param object the decoded object, of {@code kind}'s message type
 * @param source the file name (or other label) the text came from
 * @param document the 1-based YAML document within the source; items of a {@code kind: List} share their list's
 * @param line the 1-based line where the object starts
 */
public record Manifest(Kind<?> kind, Message object, String source, int document, int line) {}
