package io.minik8s.apiserver.rest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a request path names, parsed the way Kubernetes lays out its REST API:
 *
 * <pre>
 * /version, /healthz, /livez, /readyz
 * /api                                  core group versions          /apis            the other groups
 * /api/v1                               core resources               /apis/{g}        one group
 * /apis/{g}/{v}                         a group version's resources
 * {prefix}/{resource}                   every object of a kind (cluster-wide for namespaced kinds)
 * {prefix}/{resource}/{name}[/{sub}]    a cluster-scoped object, or namespaces/{name}[/status|/finalize]
 * {prefix}/namespaces/{ns}/{resource}[/{name}[/{sub}]]
 * {prefix}/watch/...                    the legacy watch form of the paths above
 * /openapi/v2, /openapi/v3, /openapi/v3/{api/v1 | apis/g/v}
 * </pre>
 *
 * where {@code prefix} is {@code /api/v1} or {@code /apis/{g}/{v}}. Whether the group, version and
 * resource exist is not checked here. Pure and thread-safe.
 */
sealed interface ApiPath {
  /** /version */
  record Version() implements ApiPath {}

  /** /healthz, /livez, /readyz */
  record Health() implements ApiPath {}

  /** /api: the core group's versions. */
  record CoreVersions() implements ApiPath {}

  /** /apis: every non-core group. */
  record Groups() implements ApiPath {}

  /** /apis/{group}: one group. */
  record Group(String group) implements ApiPath {}

  /** /api/v1 or /apis/{group}/{version}: the resources of one group version. */
  record Resources(String group, String version) implements ApiPath {}

  /** /openapi/v2 */
  record OpenApiV2() implements ApiPath {}

  /** /openapi/v3: the index of per group-version documents. */
  record OpenApiV3Index() implements ApiPath {}

  /** /openapi/v3/api/v1 or /openapi/v3/apis/{group}/{version}. */
  record OpenApiV3(String group, String version) implements ApiPath {}

  /**
   * A resource: a collection ({@code name} empty) or one object, maybe a subresource of it.
   *
   * @param namespace empty for cluster-scoped kinds and for collections across every namespace
   * @param watch whether the path had the legacy {@code /watch/} segment
   */
  record Resource(String group, String version, String resource, String namespace, String name,
      String subresource, boolean watch) implements ApiPath {
    public boolean isCollection() {
      return name.isEmpty();
    }

    /** {@code apps/v1}, or {@code v1} for the core group. */
    public String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  /** Parses a path (without the query); empty when it names nothing the API serves. */
  static Optional<ApiPath> parse(String rawPath) {
    List<String> s = segments(rawPath);
    if (s == null) {
      return Optional.empty();
    }
    if (s.size() == 1) {
      switch (s.get(0)) {
        case "version":
          return Optional.of(new Version());
        case "healthz":
        case "livez":
        case "readyz":
          return Optional.of(new Health());
        case "api":
          return Optional.of(new CoreVersions());
        case "apis":
          return Optional.of(new Groups());
        default:
          return Optional.empty();
      }
    }
    if (s.get(0).equals("openapi")) {
      return openApi(s);
    }
    if (s.get(0).equals("api")) {
      return groupVersionPath("", s.get(1), s.subList(2, s.size()));
    }
    if (s.get(0).equals("apis")) {
      if (s.size() == 2) {
        return Optional.of(new Group(s.get(1)));
      }
      return groupVersionPath(s.get(1), s.get(2), s.subList(3, s.size()));
    }
    return Optional.empty();
  }

  private static Optional<ApiPath> openApi(List<String> s) {
    if (s.size() == 2 && s.get(1).equals("v2")) {
      return Optional.of(new OpenApiV2());
    }
    if (s.size() >= 2 && s.get(1).equals("v3")) {
      if (s.size() == 2) {
        return Optional.of(new OpenApiV3Index());
      }
      if (s.size() == 4 && s.get(2).equals("api")) {
        return Optional.of(new OpenApiV3("", s.get(3)));
      }
      if (s.size() == 5 && s.get(2).equals("apis")) {
        return Optional.of(new OpenApiV3(s.get(3), s.get(4)));
      }
    }
    return Optional.empty();
  }

  /** The part after {@code /api/v1} or {@code /apis/{g}/{v}}. */
  private static Optional<ApiPath> groupVersionPath(String group, String version, List<String> rest) {
    if (rest.isEmpty()) {
      return Optional.of(new Resources(group, version));
    }
    boolean watch = rest.get(0).equals("watch");
    if (watch) {
      rest = rest.subList(1, rest.size());
    }
    String namespace = "";
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")
        && !(rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize")))) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.size() > 3) {
      return Optional.empty();
    }
    String name = rest.size() >= 2 ? rest.get(1) : "";
    String sub = rest.size() == 3 ? rest.get(2) : "";
    return Optional.of(new Resource(group, version, rest.get(0), namespace, name, sub, watch));
  }

  /** The decoded non-empty segments, or null when a segment is empty or does not decode. */
  private static List<String> segments(String rawPath) {
    String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) {
        return null;
      }
      try {
        out.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return out;
  }
}
