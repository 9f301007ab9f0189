package io.minik8s.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiPathTest {
  private static ApiPath parse(String path) {
    return ApiPath.parse(path).orElseThrow();
  }

  @Test
  void documentsAreRecognised() {
    assertThat(parse("/version")).isEqualTo(new ApiPath.Version());
    assertThat(parse("/healthz")).isEqualTo(new ApiPath.Health());
    assertThat(parse("/api")).isEqualTo(new ApiPath.CoreVersions());
    assertThat(parse("/api/")).isEqualTo(new ApiPath.CoreVersions());
    assertThat(parse("/apis")).isEqualTo(new ApiPath.Groups());
    assertThat(parse("/apis/apps")).isEqualTo(new ApiPath.Group("apps"));
    assertThat(parse("/api/v1")).isEqualTo(new ApiPath.Resources("", "v1"));
    assertThat(parse("/apis/coordination.k8s.io/v1")).isEqualTo(new ApiPath.Resources("coordination.k8s.io", "v1"));
    assertThat(parse("/openapi/v2")).isEqualTo(new ApiPath.OpenApiV2());
    assertThat(parse("/openapi/v3")).isEqualTo(new ApiPath.OpenApiV3Index());
    assertThat(parse("/openapi/v3/api/v1")).isEqualTo(new ApiPath.OpenApiV3("", "v1"));
    assertThat(parse("/openapi/v3/apis/apps/v1")).isEqualTo(new ApiPath.OpenApiV3("apps", "v1"));
  }

  @Test
  void namespacedResources() {
    assertThat(parse("/api/v1/namespaces/demo/pods"))
        .isEqualTo(new ApiPath.Resource("", "v1", "pods", "demo", "", "", false));
    assertThat(parse("/api/v1/namespaces/demo/pods/web-1"))
        .isEqualTo(new ApiPath.Resource("", "v1", "pods", "demo", "web-1", "", false));
    assertThat(parse("/apis/apps/v1/namespaces/demo/deployments/web/scale"))
        .isEqualTo(new ApiPath.Resource("apps", "v1", "deployments", "demo", "web", "scale", false));
    assertThat(parse("/api/v1/pods")).isEqualTo(new ApiPath.Resource("", "v1", "pods", "", "", "", false));
  }

  @Test
  void namespacesThemselvesAndTheirSubresourcesAreNotMistakenForNamespacedResources() {
    assertThat(parse("/api/v1/namespaces")).isEqualTo(new ApiPath.Resource("", "v1", "namespaces", "", "", "", false));
    assertThat(parse("/api/v1/namespaces/demo"))
        .isEqualTo(new ApiPath.Resource("", "v1", "namespaces", "", "demo", "", false));
    assertThat(parse("/api/v1/namespaces/demo/status"))
        .isEqualTo(new ApiPath.Resource("", "v1", "namespaces", "", "demo", "status", false));
    assertThat(parse("/api/v1/namespaces/demo/finalize"))
        .isEqualTo(new ApiPath.Resource("", "v1", "namespaces", "", "demo", "finalize", false));
  }

  @Test
  void theLegacyWatchPrefixIsAFlag() {
    assertThat(parse("/api/v1/watch/namespaces/demo/pods"))
        .isEqualTo(new ApiPath.Resource("", "v1", "pods", "demo", "", "", true));
    assertThat(parse("/apis/apps/v1/watch/deployments"))
        .isEqualTo(new ApiPath.Resource("apps", "v1", "deployments", "", "", "", true));
  }

  @Test
  void segmentsArePercentDecoded() {
    assertThat(parse("/api/v1/namespaces/demo/pods/a%2Bb"))
        .isEqualTo(new ApiPath.Resource("", "v1", "pods", "demo", "a+b", "", false));
  }

  @Test
  void pathsThatNameNothingAreEmpty() {
    assertThat(ApiPath.parse("/")).isEmpty();
    assertThat(ApiPath.parse("/foo")).isEmpty();
    assertThat(ApiPath.parse("/api//v1")).isEmpty();
    assertThat(ApiPath.parse("/api/v1/namespaces/demo/pods/web/status/extra")).isEmpty();
    assertThat(ApiPath.parse("/openapi/v3/apis/apps")).isEmpty();
    assertThat(ApiPath.parse("/api/v1/namespaces/demo/pods/%zz")).isEmpty();
  }
}
