package io.minik8s.client.printers;

import com.google.protobuf.Message;
import java.util.List;

/**
 * The columns {@code get} prints for one kind, as kubectl prints them. Implementations are
 * stateless apart from the clock that AGE is measured against, and thread-safe.
 *
 * @param <T> the kind's message
 */
public interface TablePrinter<T extends Message> {
  /** The header, upper case, NAME first (NAMESPACE is added by the caller for {@code -A}). */
  List<String> columns(boolean wide);

  /** One cell per column of {@link #columns(boolean)}. */
  List<String> row(T object, boolean wide);
}
