package io.minik8s.client.informer;

import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.selector.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A thread-safe map of API objects by key ({@code "namespace/name"}, or {@code "name"} for
 * cluster-scoped kinds), with named secondary indexes.
 *
 * <p>Every read and write is atomic with respect to the others (one read-write lock), so an index
 * lookup never sees an object the map no longer has. The namespace index ({@link #NAMESPACE_INDEX}) is
 * always there. Objects are stored as given: immutable protobuf messages, shared, never copied.
 *
 * @param <T> the object type
 */
public final class Store<T extends Message> implements Lister<T> {
  /** The built-in index from namespace to the objects in it. */
  public static final String NAMESPACE_INDEX = "namespace";

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, T> items = new HashMap<>();
  private final Map<String, Function<T, List<String>>> indexers = new HashMap<>();
  /** index name → index value → keys. */
  private final Map<String, Map<String, Set<String>>> indices = new HashMap<>();

  public Store() {
    addIndex(NAMESPACE_INDEX, o -> List.of(metadata(o).getNamespace()));
  }

  /** The store key of an API object. */
  public static String keyOf(Message object) {
    ObjectMeta m = metadata(object);
    return key(m.getNamespace(), m.getName());
  }

  /** {@code "namespace/name"}, or {@code name} when the namespace is empty or null. */
  public static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  private static ObjectMeta metadata(Message object) {
    return Kinds.of(object).metadata(object);
  }

  /**
   * Adds an index. {@code indexFunction} gives the index values of an object (none, one or many);
   * objects already stored are indexed at once.
   *
   * @throws IllegalArgumentException if an index of that name exists
   */
  public void addIndex(String name, Function<T, List<String>> indexFunction) {
    Objects.requireNonNull(indexFunction, "indexFunction");
    lock.writeLock().lock();
    try {
      if (indexers.containsKey(name)) {
        throw new IllegalArgumentException("index " + name + " already exists");
      }
      indexers.put(name, indexFunction);
      Map<String, Set<String>> index = new HashMap<>();
      indices.put(name, index);
      items.forEach((key, o) -> indexFunction.apply(o)
          .forEach(v -> index.computeIfAbsent(v, x -> new LinkedHashSet<>()).add(key)));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Adds or replaces the object; returns the one it replaced, or null. */
  public T put(T object) {
    String key = keyOf(object);
    lock.writeLock().lock();
    try {
      T old = items.put(key, object);
      if (old != null) {
        unindex(key, old);
      }
      index(key, object);
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes the object with {@code key}; returns it, or null if there was none. */
  public T remove(String key) {
    lock.writeLock().lock();
    try {
      T old = items.remove(key);
      if (old != null) {
        unindex(key, old);
      }
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void index(String key, T object) {
    indexers.forEach((name, fn) -> {
      Map<String, Set<String>> index = indices.get(name);
      for (String v : fn.apply(object)) {
        index.computeIfAbsent(v, x -> new LinkedHashSet<>()).add(key);
      }
    });
  }

  private void unindex(String key, T object) {
    indexers.forEach((name, fn) -> {
      Map<String, Set<String>> index = indices.get(name);
      for (String v : fn.apply(object)) {
        Set<String> keys = index.get(v);
        if (keys != null) {
          keys.remove(key);
          if (keys.isEmpty()) {
            index.remove(v);
          }
        }
      }
    });
  }

  @Override
  public Optional<T> get(String key) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(items.get(key));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<T> get(String namespace, String name) {
    return get(key(namespace, name));
  }

  @Override
  public List<T> list() {
    lock.readLock().lock();
    try {
      return new ArrayList<>(items.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<T> list(LabelSelector selector) {
    List<T> all = list();
    all.removeIf(o -> !selector.matches(metadata(o).getLabelsMap()));
    return all;
  }

  @Override
  public List<T> listInNamespace(String namespace) {
    return byIndex(NAMESPACE_INDEX, namespace == null ? "" : namespace);
  }

  @Override
  public List<T> listInNamespace(String namespace, LabelSelector selector) {
    List<T> inNamespace = listInNamespace(namespace);
    inNamespace.removeIf(o -> !selector.matches(metadata(o).getLabelsMap()));
    return inNamespace;
  }

  @Override
  public List<T> byIndex(String indexName, String value) {
    lock.readLock().lock();
    try {
      Map<String, Set<String>> index = indices.get(indexName);
      if (index == null) {
        throw new IllegalArgumentException("no index named " + indexName);
      }
      Set<String> keys = index.getOrDefault(value, Set.of());
      List<T> result = new ArrayList<>(keys.size());
      for (String k : keys) {
        result.add(items.get(k));
      }
      return result;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The keys of every stored object. */
  public Set<String> keys() {
    lock.readLock().lock();
    try {
      return new LinkedHashSet<>(items.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  public int size() {
    lock.readLock().lock();
    try {
      return items.size();
    } finally {
      lock.readLock().unlock();
    }
  }
}
