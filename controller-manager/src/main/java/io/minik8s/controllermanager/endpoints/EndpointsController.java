package io.minik8s.controllermanager.endpoints;

import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.Service;
import io.minik8s.client.api.ApiClient;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import io.minik8s.client.informer.Informer;
import io.minik8s.client.informer.Lister;
import io.minik8s.client.informer.ResourceEventHandler;
import io.minik8s.client.informer.Store;
import io.minik8s.client.selector.LabelSelector;
import io.minik8s.client.workqueue.Result;
import io.minik8s.client.workqueue.WorkQueue;
import io.minik8s.controllermanager.Controller;
import io.minik8s.controllermanager.ControllerContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps, for each Service with a selector, an Endpoints object of the same name whose subsets list the
 * selected pods ({@link EndpointsBuilder}). Keys are the Service's {@code namespace/name}.
 *
 * <p>Reconcile: no Service → delete its Endpoints if any, once the API server confirms the Service is
 * gone (Kubernetes does the same, so Endpoints left over while the controller was down are cleaned up);
 * a Service without selector → leave its Endpoints
 * alone (the user manages them); otherwise create or update the Endpoints, only when subsets or labels
 * differ from the cached ones. Updates carry the cached resourceVersion: a conflict (the cache lagged)
 * is retried with back-off by the runner.
 *
 * <p>Triggers: Service changes; pod changes, mapped to every Service in the pod's namespace whose
 * selector matches the pod's old or new labels; Endpoints changes and deletes (a hand edit is undone).
 */
public final class EndpointsController implements Controller {
  public static final String NAME = "endpoint";

  private final ApiClient client;
  private final Lister<Service> services;
  private final Lister<Pod> pods;
  private final Lister<Endpoints> endpoints;

  public EndpointsController(ApiClient client, Lister<Service> services, Lister<Pod> pods,
      Lister<Endpoints> endpoints) {
    this.client = client;
    this.services = services;
    this.pods = pods;
    this.endpoints = endpoints;
  }

  public static EndpointsController create(ControllerContext context) {
    return new EndpointsController(context.client(), context.informers().informer(Kinds.SERVICE).lister(),
        context.informers().informer(Kinds.POD).lister(), context.informers().informer(Kinds.ENDPOINTS).lister());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void register(ControllerContext context) {
    WorkQueue<String> queue = context.queue();
    context.informers().informer(Kinds.SERVICE)
        .addEventHandler(ResourceEventHandler.onChange(s -> queue.add(Store.keyOf(s))));
    context.informers().informer(Kinds.ENDPOINTS)
        .addEventHandler(ResourceEventHandler.onChange(e -> queue.add(Store.keyOf(e))));
    Informer<Pod> podInformer = context.informers().informer(Kinds.POD);
    podInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        enqueueServicesOf(pod, queue);
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        enqueueServicesOf(newPod, queue);
        if (!oldPod.getMetadata().getLabelsMap().equals(newPod.getMetadata().getLabelsMap())) {
          enqueueServicesOf(oldPod, queue);
        }
      }

      @Override
      public void onDelete(Pod pod) {
        enqueueServicesOf(pod, queue);
      }
    });
  }

  private void enqueueServicesOf(Pod pod, WorkQueue<String> queue) {
    for (Service s : services.listInNamespace(pod.getMetadata().getNamespace())) {
      Map<String, String> selector = s.getSpec().getSelectorMap();
      if (!selector.isEmpty() && LabelSelector.fromLabels(selector).matches(pod.getMetadata().getLabelsMap())) {
        queue.add(Store.keyOf(s));
      }
    }
  }

  @Override
  public Result reconcile(String key) {
    Optional<Service> service = services.get(key);
    Optional<Endpoints> current = endpoints.get(key);
    if (service.isEmpty()) {
      // The Service and Endpoints caches are fed by two watches, so Endpoints written right after their
      // Service (the API server's and the DNS server's own registrations) may be seen first: ask the API
      // server before deleting. A Service it has is in the cache soon, and its event brings the key back.
      if (current.isPresent() && client.find(Kinds.SERVICE, current.get().getMetadata().getNamespace(),
          current.get().getMetadata().getName()).isEmpty()) {
        delete(current.get());
      }
      return Result.done();
    }
    Service svc = service.get();
    Map<String, String> selector = svc.getSpec().getSelectorMap();
    if (selector.isEmpty()) {
      return Result.done();
    }
    String namespace = svc.getMetadata().getNamespace();
    List<Pod> selected = pods.listInNamespace(namespace, LabelSelector.fromLabels(selector));
    List<EndpointSubset> subsets = EndpointsBuilder.subsets(svc, selected);
    Map<String, String> labels = EndpointsBuilder.labels(svc);
    if (current.isEmpty()) {
      client.create(Endpoints.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(svc.getMetadata().getName())
              .putAllLabels(labels))
          .addAllSubsets(subsets).build());
      return Result.done();
    }
    Endpoints existing = current.get();
    if (existing.getSubsetsList().equals(subsets) && existing.getMetadata().getLabelsMap().equals(labels)) {
      return Result.done();
    }
    client.update(existing.toBuilder()
        .setMetadata(existing.getMetadata().toBuilder().clearLabels().putAllLabels(labels))
        .clearSubsets().addAllSubsets(subsets).build());
    return Result.done();
  }

  private void delete(Endpoints e) {
    try {
      client.delete(Kinds.ENDPOINTS, e.getMetadata().getNamespace(), e.getMetadata().getName(),
          new ApiClient.DeleteOptions(null, "", e.getMetadata().getUid()));
    } catch (ApiException ex) {
      if (!ex.isNotFound()) {
        throw ex;
      }
    }
  }
}
