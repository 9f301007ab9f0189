package io.minik8s.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Status;
import io.minik8s.api.StatusDetails;
import io.minik8s.apiserver.kubelet.PodLogProxy;
import io.minik8s.apiserver.registry.ResourceRegistry;
import io.minik8s.apiserver.rest.TableConverter.IncludeObject;
import io.minik8s.apiserver.rest.patch.PatchType;
import io.minik8s.apiserver.service.ApiOperations;
import io.minik8s.apiserver.storage.WatchCache;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The verbs on resources, as Kubernetes serves them: GET (one object, or a list: {@code labelSelector},
 * {@code fieldSelector}, {@code limit}/{@code continue}; {@code watch=true} streams changes), POST, PUT,
 * PATCH (server-side apply too, see {@link ServerSideApply}), DELETE of one object or of a collection
 * ({@code deletecollection}: the objects that match the selectors), and the {@code status} subresource;
 * the others go to {@link SubresourceEndpoints}. Every verb becomes an {@link ApiOperations} call, so
 * validation, defaults and admission are the gRPC API's own.
 *
 * <p>Answers: the object (201 for a create, or a server-side apply that created it), an {@code XxxList}
 * with {@code metadata.resourceVersion} (for a deletecollection: the deleted objects), a
 * Table when the Accept header asks for one, a {@code Status} for a delete that removed the object at once
 * (pods and services return the object, as in Kubernetes). Errors are thrown as {@link ApiException}s.
 * Thread-safe.
 */
final class ResourceEndpoints {
  private final ApiOperations operations;
  private final SubresourceEndpoints subresources;
  private final ObjectJson json;
  private final TableConverter tables;
  private final ScheduledExecutorService timer;
  private final KubernetesProtobuf protobuf = KubernetesProtobuf.load();

  ResourceEndpoints(ApiOperations operations, PodLogProxy logs, ExecEndpoint execs, ObjectJson json,
      TableConverter tables, ScheduledExecutorService timer) {
    this.operations = operations;
    this.subresources = new SubresourceEndpoints(operations, logs, execs, json);
    this.json = json;
    this.tables = tables;
    this.timer = timer;
  }

  RestResponse handle(RestRequest request, ApiPath.Resource path) {
    Kind<?> kind = Discovery.kind(path.group(), path.version(), path.resource())
        .orElseThrow(RestErrors::notFound);
    if (!kind.namespaced() && !path.namespace().isEmpty()) {
      throw RestErrors.notFound();
    }
    if (!path.subresource().isEmpty() && !Discovery.hasSubresource(kind, path.subresource())) {
      throw RestErrors.notFound();
    }
    return dispatch(kind, request, path);
  }

  private <T extends Message> RestResponse dispatch(Kind<T> kind, RestRequest request, ApiPath.Resource path) {
    String method = request.method();
    if (path.isCollection()) {
      if (method.equals("GET")) {
        return path.watch() || request.flag("watch") ? watch(kind, request, path, request.param("fieldSelector"))
            : list(kind, request, path);
      }
      boolean scoped = !kind.namespaced() || !path.namespace().isEmpty();
      if (method.equals("POST") && scoped) {
        return create(kind, request, path);
      }
      if (method.equals("DELETE") && scoped && Discovery.deletesCollection(kind)) {
        return deleteCollection(kind, request, path);
      }
      throw RestErrors.methodNotAllowed(method);
    }
    if (path.watch() || (method.equals("GET") && request.flag("watch") && path.subresource().isEmpty())) {
      String byName = "metadata.name=" + path.name();
      String fields = request.param("fieldSelector");
      return watch(kind, request, path, fields.isEmpty() ? byName : fields + "," + byName);
    }
    switch (path.subresource()) {
      case "":
        switch (method) {
          case "GET":
            return object(kind, operations.get(kind, path.namespace(), path.name()), request, 200, true);
          case "PUT":
            return update(kind, request, path, false);
          case "PATCH":
            return patch(kind, request, path, false);
          case "DELETE":
            return delete(kind, request, path);
          default:
            throw RestErrors.methodNotAllowed(method);
        }
      case "status":
        switch (method) {
          case "GET":
            return object(kind, operations.get(kind, path.namespace(), path.name()), request, 200, false);
          case "PUT":
            return update(kind, request, path, true);
          case "PATCH":
            return patch(kind, request, path, true);
          default:
            throw RestErrors.methodNotAllowed(method);
        }
      default:
        return subresources.handle(kind, request, path);
    }
  }

  // ------------------------------------------------------------------ read

  private <T extends Message> RestResponse list(Kind<T> kind, RestRequest request, ApiPath.Resource path) {
    long limit = longParam(request, "limit");
    ResourceRegistry.ListPage<T> page = operations.list(kind, path.namespace(), request.param("labelSelector"),
        request.param("fieldSelector"), limit, request.param("continue"));
    if (TableConverter.wanted(request.accept())) {
      return ok(tables.table(kind, page.items(), Long.toString(page.revision()), page.continueToken(),
          IncludeObject.parse(request.param("includeObject"))));
    }
    return ok(json.list(kind, page.items(), page.revision(), page.continueToken()));
  }

  private <T extends Message> RestResponse watch(Kind<T> kind, RestRequest request, ApiPath.Resource path,
      String fieldSelector) {
    boolean table = TableConverter.wanted(request.accept());
    IncludeObject include = IncludeObject.parse(request.param("includeObject"));
    WatchStream stream = new WatchStream(event -> {
      if (event.type() == WatchCache.EventType.BOOKMARK) {
        return json.object(kind.withMetadata(kind.defaultInstance(),
            ObjectMeta.newBuilder().setResourceVersion(Long.toString(event.revision())).build()));
      }
      T object = kind.type().cast(event.object());
      return table ? tables.table(kind, List.of(object), "", "", include) : json.object(object);
    }, error -> json.status(error.status()), json, timer, longParam(request, "timeoutSeconds"));
    return new RestResponse.Streaming(RestResponse.JSON, stream.open(sink -> operations.watch(kind, path.namespace(),
        request.param("labelSelector"), fieldSelector, request.param("resourceVersion"),
        request.flag("allowWatchBookmarks"), sink)));
  }

  // ------------------------------------------------------------------ write

  private <T extends Message> RestResponse create(Kind<T> kind, RestRequest request, ApiPath.Resource path) {
    FieldValidation.check(request);
    T object = inNamespace(kind, decodeBody(kind, request), path.namespace());
    return object(kind, operations.create(kind, object, DeleteOptions.DryRun.of(request)), request, 201, false);
  }

  private <T extends Message> RestResponse update(Kind<T> kind, RestRequest request, ApiPath.Resource path,
      boolean status) {
    FieldValidation.check(request);
    T object = named(kind, inNamespace(kind, decodeBody(kind, request), path.namespace()), path.name());
    boolean dryRun = DeleteOptions.DryRun.of(request);
    return object(kind, write(kind, object, status, dryRun), request, 200, false);
  }

  private <T extends Message> RestResponse patch(Kind<T> kind, RestRequest request, ApiPath.Resource path,
      boolean status) {
    FieldValidation.check(request);
    if (ServerSideApply.requested(request) && !status) {
      return apply(kind, request, path);
    }
    PatchType type = Patching.type(request);
    JsonNode patch = ObjectJson.tree(request.body());
    boolean dryRun = DeleteOptions.DryRun.of(request);
    T written = Patching.readChangeWrite(kind, () -> operations.get(kind, path.namespace(), path.name()), current -> {
      JsonNode patched = Patching.apply(type, ObjectJson.MAPPER.valueToTree(json.object(current)), patch, kind);
      return named(kind, inNamespace(kind, json.decode(kind, patched.toString()), path.namespace()), path.name());
    }, object -> write(kind, object, status, dryRun));
    return object(kind, written, request, 200, false);
  }

  /** Server-side apply, see {@link ServerSideApply}: 201 when it created the object, 200 when it merged. */
  private <T extends Message> RestResponse apply(Kind<T> kind, RestRequest request, ApiPath.Resource path) {
    JsonNode configuration = ServerSideApply.configuration(request, kind);
    boolean dryRun = DeleteOptions.DryRun.of(request);
    if (operations.find(kind, path.namespace(), path.name()).isEmpty()) {
      T object = named(kind, inNamespace(kind, json.decode(kind, configuration.toString()), path.namespace()),
          path.name());
      try {
        return object(kind, operations.create(kind, object, dryRun), request, 201, false);
      } catch (ApiException e) {
        if (!e.isAlreadyExists()) {
          throw e;
        }
        // Created in between: the configuration is merged into that object instead.
      }
    }
    T written = Patching.readChangeWrite(kind, () -> operations.get(kind, path.namespace(), path.name()), current -> {
      JsonNode merged = Patching.apply(PatchType.STRATEGIC_MERGE_PATCH,
          ObjectJson.MAPPER.valueToTree(json.object(current)), configuration, kind);
      return named(kind, inNamespace(kind, json.decode(kind, merged.toString()), path.namespace()), path.name());
    }, object -> write(kind, object, false, dryRun));
    return object(kind, written, request, 200, false);
  }

  /** An update of the object or its status; a dry run answers with the version it was checked against. */
  private <T extends Message> T write(Kind<T> kind, T object, boolean status, boolean dryRun) {
    T updated = status ? operations.updateStatus(kind, object, dryRun) : operations.update(kind, object, dryRun);
    if (dryRun && kind.metadata(updated).getResourceVersion().isEmpty()) {
      String version = kind.metadata(object).getResourceVersion();
      updated = kind.withMetadata(updated, kind.metadata(updated).toBuilder().setResourceVersion(version).build());
    }
    return updated;
  }

  private <T extends Message> RestResponse delete(Kind<T> kind, RestRequest request, ApiPath.Resource path) {
    DeleteOptions options = DeleteOptions.from(request, request.mediaType().equals(KubernetesProtobuf.MEDIA_TYPE)
        ? protobuf.deleteOptions(request.body()) : null);
    if (options.dryRun()) {
      return object(kind, operations.get(kind, path.namespace(), path.name()), request, 200, false);
    }
    T after = operations.delete(kind, path.namespace(), path.name(), options.gracePeriodSeconds(),
        options.preconditionUid(), options.preconditionResourceVersion(), options.propagationPolicy());
    ObjectMeta meta = kind.metadata(after);
    boolean returnsObject = kind == Kinds.POD || kind == Kinds.SERVICE;
    boolean pending = meta.hasDeletionTimestamp() && (meta.getFinalizersCount() > 0 || kind == Kinds.NAMESPACE);
    if (returnsObject || pending) {
      return object(kind, after, request, 200, false);
    }
    Status success = Status.newBuilder().setStatus("Success")
        .setDetails(StatusDetails.newBuilder().setName(meta.getName()).setGroup(kind.group())
            .setKind(kind.resource()).setUid(meta.getUid()))
        .build();
    return ok(json.status(success));
  }

  /**
   * DELETE on a collection: every object matching {@code labelSelector} and {@code fieldSelector} is deleted
   * with the request's DeleteOptions; the answer is the list of the deleted objects, as in Kubernetes.
   */
  private <T extends Message> RestResponse deleteCollection(Kind<T> kind, RestRequest request,
      ApiPath.Resource path) {
    DeleteOptions options = DeleteOptions.from(request, request.mediaType().equals(KubernetesProtobuf.MEDIA_TYPE)
        ? protobuf.deleteOptions(request.body()) : null);
    ResourceRegistry.ListPage<T> deleted = operations.deleteCollection(kind, path.namespace(),
        request.param("labelSelector"), request.param("fieldSelector"), options.gracePeriodSeconds(),
        options.propagationPolicy(), options.dryRun());
    return ok(json.list(kind, deleted.items(), deleted.revision(), ""));
  }

  // ------------------------------------------------------------------ helpers

  /**
   * The object a create or update carries: JSON or YAML, or Kubernetes' protobuf encoding (what client-go's
   * typed clients send, e.g. {@code kubectl create deployment}), which becomes JSON first. Any other
   * encoding is refused with 415, as Kubernetes refuses one it does not read.
   */
  private <T extends Message> T decodeBody(Kind<T> kind, RestRequest request) {
    String type = request.mediaType();
    if (type.equals(KubernetesProtobuf.MEDIA_TYPE)) {
      return json.decode(kind, protobuf.toJson(kind, request.body()).toString());
    }
    if (!type.isEmpty() && !type.equals("application/json") && !type.equals("application/yaml")) {
      throw ApiException.of("UnsupportedMediaType", 415, "the body of the request was in an unknown format - "
          + "accepted media types include: application/json, application/yaml, " + KubernetesProtobuf.MEDIA_TYPE);
    }
    return json.decode(kind, request.body());
  }

  /** The object (or, for a GET that asks for one, its Table). */
  private <T extends Message> RestResponse object(Kind<T> kind, T object, RestRequest request, int status,
      boolean tableAllowed) {
    if (tableAllowed && TableConverter.wanted(request.accept())) {
      return RestResponse.Full.json(status, json.bytes(tables.table(kind, List.of(object), "", "",
          IncludeObject.parse(request.param("includeObject")))));
    }
    return RestResponse.Full.json(status, json.bytes(json.object(object)));
  }

  private RestResponse ok(Map<String, Object> body) {
    return RestResponse.Full.json(200, json.bytes(body));
  }

  /** The object in the request's namespace: set when left out, BadRequest when it names another. */
  private static <T extends Message> T inNamespace(Kind<T> kind, T object, String namespace) {
    if (!kind.namespaced()) {
      return object;
    }
    ObjectMeta meta = kind.metadata(object);
    if (meta.getNamespace().isEmpty()) {
      return kind.withMetadata(object, meta.toBuilder().setNamespace(namespace).build());
    }
    if (!meta.getNamespace().equals(namespace)) {
      throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on "
          + "the request");
    }
    return object;
  }

  /** The object of a PUT or PATCH must be the one the URL names. */
  private static <T extends Message> T named(Kind<T> kind, T object, String name) {
    String own = kind.metadata(object).getName();
    if (own.isEmpty()) {
      return kind.withMetadata(object, kind.metadata(object).toBuilder().setName(name).build());
    }
    if (!own.equals(name)) {
      throw ApiException.badRequest("the name of the object (" + own + ") does not match the name on the URL ("
          + name + ")");
    }
    return object;
  }

  static long longParam(RestRequest request, String name) {
    String value = request.param(name);
    if (value.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + ": expected an integer, got \"" + value + "\"");
    }
  }

  /** {@code fieldValidation}: decoding is always strict, but a value Kubernetes does not know is refused. */
  static final class FieldValidation {
    private FieldValidation() {}

    static void check(RestRequest request) {
      String value = request.param("fieldValidation");
      if (!List.of("", "Ignore", "Warn", "Strict").contains(value)) {
        throw ApiException.badRequest("fieldValidation: Unsupported value: \"" + value
            + "\": supported values: \"Ignore\", \"Strict\", \"Warn\"");
      }
    }
  }
}
