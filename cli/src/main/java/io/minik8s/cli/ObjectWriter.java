package io.minik8s.cli;

import com.google.protobuf.Message;
import io.minik8s.client.codec.ManifestEncoder;
import java.io.PrintStream;
import java.util.List;

/**
 * Prints objects whole ({@code -o yaml}, {@code -o json}) or by name ({@code -o name}): one object
 * as itself, several as a {@code kind: List}, as kubectl does.
 */
final class ObjectWriter {
  private final ManifestEncoder encoder;
  private final PrintStream out;

  ObjectWriter(ManifestEncoder encoder, PrintStream out) {
    this.encoder = encoder;
    this.out = out;
  }

  void one(Message object, OutputFormat format) {
    switch (format) {
      case YAML:
        printText(encoder.toYaml(object));
        break;
      case JSON:
        printText(encoder.toJson(object));
        break;
      case NAME:
        out.println(ResourceRef.of(object).slashed());
        break;
      default:
        throw new IllegalArgumentException("not an object format: " + format);
    }
  }

  void list(List<? extends Message> objects, OutputFormat format) {
    switch (format) {
      case YAML:
        printText(encoder.toYaml(objects));
        break;
      case JSON:
        printText(encoder.toJson(objects));
        break;
      case NAME:
        objects.forEach(o -> one(o, OutputFormat.NAME));
        break;
      default:
        throw new IllegalArgumentException("not an object format: " + format);
    }
  }

  /** One object of a watch stream: YAML documents are separated by {@code ---}. */
  void streamed(Message object, OutputFormat format) {
    if (format == OutputFormat.YAML) {
      out.println("---");
    }
    one(object, format);
  }

  private void printText(String text) {
    out.print(text.endsWith("\n") ? text : text + "\n");
    out.flush();
  }
}
