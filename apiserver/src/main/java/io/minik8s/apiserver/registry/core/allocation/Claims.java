package io.minik8s.apiserver.registry.core.allocation;

import io.minik8s.apiserver.storage.Storage;
import io.minik8s.client.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Exclusive claims on values (an IP, a port), one etcd key each: {@code <prefix><value>} holding the
 * owner. A claim is made with the store's create, which fails when the key exists, so two API
 * servers can never both claim the same value. Thread-safe and stateless.
 */
public final class Claims {
  private final Storage storage;
  private final String prefix;

  public Claims(Storage storage, String prefix) {
    this.storage = storage;
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  public String key(String value) {
    return prefix + value;
  }

  /** Claims {@code value} for {@code owner}; false when someone (even the same owner) already holds it. */
  public boolean claim(String value, String owner) {
    try {
      storage.create(key(value), owner.getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (ApiException e) {
      if (e.isAlreadyExists()) {
        return false;
      }
      throw e;
    }
  }

  /** The owner of {@code value}, if it is claimed. */
  public Optional<String> owner(String value) {
    return storage.get(key(value)).map(e -> new String(e.value(), StandardCharsets.UTF_8));
  }

  /**
   * Releases {@code value} when {@code owner} holds it; a claim of anyone else is left alone. Idempotent.
   */
  public void release(String value, String owner) {
    for (int attempt = 0; attempt < 4; attempt++) {
      Optional<Storage.Entry> entry = storage.get(key(value));
      if (entry.isEmpty() || !owner.equals(new String(entry.get().value(), StandardCharsets.UTF_8))) {
        return;
      }
      if (releaseIfUnchanged(value, entry.get().modRevision())) {
        return;
      }
    }
  }

  /** Deletes the claim if it was not rewritten since {@code modRevision}; false when it was. */
  boolean releaseIfUnchanged(String value, long modRevision) {
    try {
      storage.delete(key(value), modRevision);
      return true;
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return true;
      }
      if (e.isConflict()) {
        return false;
      }
      throw e;
    }
  }

  /** Every claim: value → (owner, mod revision), in key order. */
  public Map<String, Claim> all() {
    Map<String, Claim> out = new LinkedHashMap<>();
    String startAfter = "";
    while (true) {
      Storage.Page page = storage.list(prefix, startAfter, 1000, 0);
      for (Storage.Entry e : page.entries()) {
        out.put(e.key().substring(prefix.length()),
            new Claim(new String(e.value(), StandardCharsets.UTF_8), e.modRevision()));
        startAfter = e.key();
      }
      if (!page.more()) {
        return out;
      }
    }
  }

  /** One stored claim. */
  public record Claim(String owner, long modRevision) {}
}
