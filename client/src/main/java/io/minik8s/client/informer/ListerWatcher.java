package io.minik8s.client.informer;

import com.google.protobuf.Message;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiClient.ListOptions;
import io.minik8s.client.api.ApiClient.ListResult;
import io.minik8s.client.api.ApiClient.WatchListener;
import io.minik8s.client.api.ApiClient.WatchOptions;
import io.minik8s.client.api.Kind;

/**
 * Where an informer gets its objects: a list, then a watch from the list's resourceVersion.
 * The seam between informers and the API server; tests give a fake.
 *
 * @param <T> the object type
 */
public interface ListerWatcher<T> {
  /** Lists the objects; the result's resourceVersion is where a watch continues. */
  ListResult<T> list(ListOptions options);

  /**
   * Starts a watch; events and the final {@code onClose} arrive on the listener as {@link
   * ApiClient#watch} describes ({@code onClose} with an expired error means: re-list).
   */
  ApiClient.Watch watch(WatchOptions options, WatchListener<T> listener);

  /**
   * Lists and watches {@code kind} through {@code client}, always in {@code options}' namespace and
   * with its selectors: of the options given to {@link #list} only paging (limit, continue) is used,
   * of those given to {@link #watch} only resourceVersion and bookmarks.
   */
  static <T extends Message> ListerWatcher<T> of(ApiClient client, Kind<T> kind, ListOptions options) {
    return new ListerWatcher<>() {
      @Override
      public ListResult<T> list(ListOptions paging) {
        return client.list(kind, options.withLimit(paging.limit()).withContinue(paging.continueToken()));
      }

      @Override
      public ApiClient.Watch watch(WatchOptions w, WatchListener<T> listener) {
        return client.watch(kind, new WatchOptions(options.namespace(), options.labelSelector(),
            options.fieldSelector(), w.resourceVersion(), w.allowBookmarks()), listener);
      }

      @Override
      public String toString() {
        return kind.resource() + " " + options;
      }
    };
  }
}
