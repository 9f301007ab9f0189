package io.minik8s.apiserver.rest;

import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The discovery documents kubectl reads to learn what the server serves: {@code /api} (APIVersions),
 * {@code /apis} (APIGroupList), {@code /apis/{group}} (APIGroup) and {@code /api/v1}, {@code /apis/{g}/{v}}
 * (APIResourceList with kinds, verbs, scope, short names, categories and subresources).
 *
 * <p>Only the unaggregated ("legacy") form is served: kubectl asks for aggregated discovery
 * ({@code as=APIGroupDiscoveryList}) first with plain {@code application/json} as its last choice, and falls
 * back to reading each group version when the answer is plain JSON. Built from {@link Kinds}; pure and
 * thread-safe.
 */
final class Discovery {
  static final List<String> VERBS = List.of("create", "delete", "get", "list", "patch", "update", "watch");
  /** Kubernetes' verbs of a kind that also takes DELETE on its collection (every kind but Namespace). */
  static final List<String> VERBS_WITH_DELETECOLLECTION = List.of("create", "delete", "deletecollection", "get",
      "list", "patch", "update", "watch");
  /** What {@code kubectl get all} shows: the workloads and services, as in Kubernetes. */
  private static final Set<String> CATEGORY_ALL = Set.of("pods", "services", "deployments", "replicasets");

  private Discovery() {}

  /** A subresource: its name, the verbs it takes, and the kind it speaks when that is not the parent's. */
  record Subresource(String name, List<String> verbs, String group, String version, String kind) {
    static Subresource ofParent(String name, List<String> verbs) {
      return new Subresource(name, verbs, null, null, null);
    }
  }

  /** The subresources of a kind that the REST API serves. */
  static List<Subresource> subresources(Kind<?> kind) {
    List<Subresource> out = new ArrayList<>();
    if (kind.hasStatus()) {
      out.add(Subresource.ofParent("status", List.of("get", "patch", "update")));
    }
    if (Scale.supports(kind)) {
      out.add(new Subresource("scale", List.of("get", "patch", "update"), "autoscaling", "v1", "Scale"));
    }
    if (kind == Kinds.POD) {
      out.add(new Subresource("binding", List.of("create"), "", "v1", "Binding"));
      out.add(new Subresource("log", List.of("get"), "", "v1", "Pod"));
      out.add(new Subresource("exec", List.of("create", "get"), "", "v1", "PodExecOptions"));
    }
    return out;
  }

  /** Whether DELETE on the kind's collection is served: not for namespaces, as in Kubernetes. */
  static boolean deletesCollection(Kind<?> kind) {
    return kind != Kinds.NAMESPACE;
  }

  /** Whether {@code kind} has the subresource {@code name}. */
  static boolean hasSubresource(Kind<?> kind, String name) {
    return subresources(kind).stream().anyMatch(s -> s.name().equals(name));
  }

  /** The group versions served, core ({@code v1}) first, in {@link Kinds} order. */
  static Set<String> groupVersions() {
    Set<String> out = new LinkedHashSet<>();
    out.add("v1");
    for (Kind<?> kind : Kinds.all()) {
      out.add(kind.apiVersion());
    }
    return out;
  }

  /** The kind served as {@code resource} in {@code group}/{@code version}. */
  static Optional<Kind<?>> kind(String group, String version, String resource) {
    String groupVersion = group.isEmpty() ? version : group + "/" + version;
    return Kinds.byResource(resource).filter(k -> k.apiVersion().equals(groupVersion));
  }

  static Map<String, Object> version(String gitVersion, String platform) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("major", "1");
    out.put("minor", "32");
    out.put("gitVersion", gitVersion);
    out.put("gitCommit", "");
    out.put("gitTreeState", "");
    out.put("buildDate", "");
    out.put("goVersion", "java" + System.getProperty("java.version"));
    out.put("compiler", "javac");
    out.put("platform", platform);
    return out;
  }

  /** {@code /api}. */
  static Map<String, Object> coreVersions(String serverAddress) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", "APIVersions");
    out.put("versions", List.of("v1"));
    out.put("serverAddressByClientCIDRs",
        List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress", serverAddress)));
    return out;
  }

  /** {@code /apis}. */
  static Map<String, Object> groups() {
    List<Object> groups = new ArrayList<>();
    for (String groupVersion : groupVersions()) {
      int slash = groupVersion.indexOf('/');
      if (slash > 0) {
        groups.add(group(groupVersion.substring(0, slash), groupVersion.substring(slash + 1)));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", "APIGroupList");
    out.put("apiVersion", "v1");
    out.put("groups", groups);
    return out;
  }

  /** {@code /apis/{group}}, or empty when the group is not served. */
  static Optional<Map<String, Object>> group(String name) {
    return groupVersions().stream().filter(gv -> gv.startsWith(name + "/")).findFirst()
        .map(gv -> {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("kind", "APIGroup");
          out.put("apiVersion", "v1");
          out.putAll(group(name, gv.substring(name.length() + 1)));
          return out;
        });
  }

  private static Map<String, Object> group(String name, String version) {
    Map<String, Object> groupVersion = new LinkedHashMap<>();
    groupVersion.put("groupVersion", name + "/" + version);
    groupVersion.put("version", version);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", name);
    out.put("versions", List.of(groupVersion));
    out.put("preferredVersion", groupVersion);
    return out;
  }

  /** {@code /api/v1} or {@code /apis/{g}/{v}}, or empty when that group version is not served. */
  static Optional<Map<String, Object>> resources(String group, String version) {
    String groupVersion = group.isEmpty() ? version : group + "/" + version;
    if (!groupVersions().contains(groupVersion)) {
      return Optional.empty();
    }
    List<Object> resources = new ArrayList<>();
    for (Kind<?> kind : Kinds.all()) {
      if (!kind.apiVersion().equals(groupVersion)) {
        continue;
      }
      Map<String, Object> r = resource(kind.resource(), kind.singular(), kind,
          deletesCollection(kind) ? VERBS_WITH_DELETECOLLECTION : VERBS);
      if (!kind.shortNames().isEmpty()) {
        r.put("shortNames", kind.shortNames());
      }
      if (CATEGORY_ALL.contains(kind.resource())) {
        r.put("categories", List.of("all"));
      }
      resources.add(r);
      for (Subresource sub : subresources(kind)) {
        Map<String, Object> s = resource(kind.resource() + "/" + sub.name(), "", kind, sub.verbs());
        if (sub.kind() != null) {
          s.put("kind", sub.kind());
          if (!sub.group().equals(kind.group()) || !sub.version().equals(version)) {
            s.put("group", sub.group());
            s.put("version", sub.version());
          }
        }
        resources.add(s);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", "APIResourceList");
    out.put("apiVersion", "v1");
    out.put("groupVersion", groupVersion);
    out.put("resources", resources);
    return Optional.of(out);
  }

  private static Map<String, Object> resource(String name, String singular, Kind<?> kind, List<String> verbs) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", name);
    r.put("singularName", singular);
    r.put("namespaced", kind.namespaced());
    r.put("kind", kind.kind());
    r.put("verbs", verbs);
    return r;
  }
}
