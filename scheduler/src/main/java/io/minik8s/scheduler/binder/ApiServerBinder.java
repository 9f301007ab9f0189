package io.minik8s.scheduler.binder;

import io.minik8s.api.Pod;
import io.minik8s.client.api.ApiClient;
import java.util.Objects;

/** Binds through the API server's pods/binding call. Thread-safe (the client is). */
public final class ApiServerBinder implements Binder {
  private final ApiClient client;

  public ApiServerBinder(ApiClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public void bind(Pod pod, String nodeName) {
    client.bind(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), nodeName);
  }
}
