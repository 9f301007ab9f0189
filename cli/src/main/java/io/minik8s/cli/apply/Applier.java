package io.minik8s.cli.apply;

import io.minik8s.cli.ConflictRetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.codec.ManifestDecoder;
import io.minik8s.client.codec.ManifestEncoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Creates or updates one object the way {@code kubectl apply} does (client-side apply).
 *
 * <p>The applied configuration is kept on the object in the annotation {@value #LAST_APPLIED}, as
 * compact JSON, so the next apply knows which fields the user owns: see {@link ThreeWayMerge}. The
 * update is a compare-and-swap on the live object's resourceVersion; on a Conflict the live object
 * is read again and the merge redone, up to {@value #MAX_ATTEMPTS} times.
 *
 * <p>Not thread-safe; one per command.
 */
public final class Applier {
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  static final int MAX_ATTEMPTS = ConflictRetry.ATTEMPTS;

  /** What apply did to one object, in kubectl's words. */
  public enum Outcome {
    CREATED("created"), CONFIGURED("configured"), UNCHANGED("unchanged");

    private final String word;

    Outcome(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  private final ApiClient client;
  private final ManifestDecoder decoder;
  private final ManifestEncoder encoder;
  private final ObjectMapper json = new ObjectMapper();
  private final Consumer<String> warnings;

  /** @param warnings receives kubectl's warnings (an object without the annotation), one line each */
  public Applier(ApiClient client, ManifestDecoder decoder, ManifestEncoder encoder, Consumer<String> warnings) {
    this.client = client;
    this.decoder = decoder;
    this.encoder = encoder;
    this.warnings = warnings;
  }

  /**
   * Applies one object (its namespace already filled in).
   *
   * @throws Failure when the server refuses (after the retries on Conflict)
   */
  public Outcome apply(Message desired) {
    Kind<?> kind = Kinds.of(desired);
    Map<String, Object> configuration = configurationOf(desired);
    String configurationJson = toJson(configuration);
    String namespace = kind.namespaced() ? kind.metadata(desired).getNamespace() : "";
    String name = kind.metadata(desired).getName();
    for (int attempt = 1; ; attempt++) {
      Optional<? extends Message> live;
      try {
        live = client.find(kind, namespace, name);
      } catch (ApiException e) {
        throw new Failure("retrieving current configuration of", e);
      }
      try {
        if (live.isEmpty()) {
          client.create(withAnnotation(kind, desired, configurationJson));
          return Outcome.CREATED;
        }
        return update(kind, live.get(), configuration, configurationJson);
      } catch (ApiException e) {
        boolean raced = e.isConflict() || (live.isEmpty() && e.isAlreadyExists());
        if (!raced || attempt >= MAX_ATTEMPTS) {
          throw new Failure(live.isEmpty() ? "creating" : "updating", e);
        }
        // Controllers write the status of the same object all the time (a new resourceVersion each time):
        // step back a little, at random, so the next read-merge-write lands between their writes.
        ConflictRetry.pause(attempt);
      }
    }
  }

  /** A refused apply: what was being done ({@code creating}, {@code updating}) and the server's error. */
  public static final class Failure extends RuntimeException {
    private final String action;
    private final ApiException error;

    Failure(String action, ApiException error) {
      super(action + ": " + error.getMessage(), error);
      this.action = action;
      this.error = error;
    }

    public String action() {
      return action;
    }

    public ApiException error() {
      return error;
    }
  }

  private Outcome update(Kind<?> kind, Message live, Map<String, Object> configuration, String configurationJson) {
    Map<String, Object> liveMap = encoder.toMap(live);
    String lastJson = kind.metadata(live).getAnnotationsMap().get(LAST_APPLIED);
    Map<String, Object> lastApplied = Map.of();
    if (lastJson == null) {
      warnings.accept("Warning: resource " + kind.resource() + "/" + kind.metadata(live).getName()
          + " is missing the " + LAST_APPLIED + " annotation which is required by mkctl apply. mkctl apply"
          + " should only be used on resources created declaratively by either mkctl create --save-config or"
          + " mkctl apply. The missing annotation will be patched automatically.");
    } else {
      lastApplied = parseJson(lastJson);
    }
    Map<String, Object> merged = ThreeWayMerge.merge(liveMap, lastApplied, configuration);
    Map<String, Object> metadata = childMap(merged, "metadata");
    childMap(metadata, "annotations").put(LAST_APPLIED, configurationJson);
    // The write is a compare-and-swap against the version the merge was computed from.
    metadata.put("resourceVersion", kind.metadata(live).getResourceVersion());
    if (merged.equals(liveMap)) {
      return Outcome.UNCHANGED;
    }
    Message updated = decoder.decode(kind, toJson(merged));
    if (updated.equals(live)) {
      return Outcome.UNCHANGED;
    }
    client.update(updated);
    return Outcome.CONFIGURED;
  }

  /** The manifest as it is remembered: its map form without the annotation that remembers it. */
  private Map<String, Object> configurationOf(Message desired) {
    Map<String, Object> map = encoder.toMap(desired);
    Object metadata = map.get("metadata");
    if (metadata instanceof Map) {
      Object annotations = asMap(metadata).get("annotations");
      if (annotations instanceof Map) {
        asMap(annotations).remove(LAST_APPLIED);
        if (asMap(annotations).isEmpty()) {
          asMap(metadata).remove("annotations");
        }
      }
    }
    return map;
  }

  private static Message withAnnotation(Kind<?> kind, Message object, String configurationJson) {
    return kind.withMetadata(object, kind.metadata(object).toBuilder()
        .putAnnotations(LAST_APPLIED, configurationJson).build());
  }

  private String toJson(Map<String, Object> map) {
    try {
      return json.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON of a decoded object", e);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> parseJson(String text) {
    try {
      Object parsed = json.readValue(text, Object.class);
      return parsed instanceof Map ? (Map<String, Object>) parsed : Map.of();
    } catch (JsonProcessingException e) {
      // A corrupted annotation: behave as if there was none (nothing is removed).
      warnings.accept("Warning: ignoring an unreadable " + LAST_APPLIED + " annotation: " + e.getOriginalMessage());
      return Map.of();
    }
  }

  private static Map<String, Object> childMap(Map<String, Object> parent, String key) {
    Object child = parent.get(key);
    if (child instanceof Map) {
      return asMap(child);
    }
    Map<String, Object> created = new LinkedHashMap<>();
    parent.put(key, created);
    return created;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }
}
