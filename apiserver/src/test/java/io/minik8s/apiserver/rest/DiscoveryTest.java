package io.minik8s.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoveryTest {
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> resources(String group, String version) {
    return (List<Map<String, Object>>) Discovery.resources(group, version).orElseThrow().get("resources");
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object o) {
    return (T) o;
  }

  private static Map<String, Object> named(List<Map<String, Object>> resources, String name) {
    return resources.stream().filter(r -> r.get("name").equals(name)).findFirst().orElseThrow();
  }

  @Test
  void coreResourcesCarryKindScopeVerbsShortNamesAndCategories() {
    Map<String, Object> pods = named(resources("", "v1"), "pods");
    assertThat(pods).containsEntry("kind", "Pod").containsEntry("namespaced", true)
        .containsEntry("singularName", "pod").containsEntry("shortNames", List.of("po"))
        .containsEntry("categories", List.of("all"));
    assertThat(DiscoveryTest.<List<Object>>cast(pods.get("verbs")))
        .containsExactly("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    assertThat(DiscoveryTest.<List<Object>>cast(named(resources("", "v1"), "namespaces").get("verbs")))
        .doesNotContain("deletecollection");
    assertThat(named(resources("", "v1"), "nodes")).containsEntry("namespaced", false);
    assertThat(named(resources("", "v1"), "events")).doesNotContainKey("categories");
  }

  @Test
  void subresourcesAreListedWithTheirVerbs() {
    List<Map<String, Object>> core = resources("", "v1");
    assertThat(named(core, "pods/status")).containsEntry("kind", "Pod")
        .containsEntry("verbs", List.of("get", "patch", "update"));
    assertThat(named(core, "pods/log")).containsEntry("verbs", List.of("get"));
    assertThat(named(core, "pods/binding")).containsEntry("kind", "Binding");
  }

  @Test
  void scaleIsAnAutoscalingV1ScaleAsKubectlScaleExpects() {
    Map<String, Object> scale = named(resources("apps", "v1"), "deployments/scale");
    assertThat(scale).containsEntry("group", "autoscaling").containsEntry("version", "v1")
        .containsEntry("kind", "Scale").containsEntry("namespaced", true);
    assertThat(named(resources("apps", "v1"), "replicasets/scale")).containsEntry("kind", "Scale");
  }

  @Test
  void groupsListEveryNonCoreGroupWithItsPreferredVersion() {
    Map<String, Object> groups = Discovery.groups();
    assertThat(groups).containsEntry("kind", "APIGroupList");
    List<Map<String, Object>> list = cast(groups.get("groups"));
    assertThat(list.stream().map(g -> g.get("name"))).containsExactly("apps", "coordination.k8s.io");
    assertThat(Discovery.group("apps").orElseThrow()).containsEntry("kind", "APIGroup")
        .containsEntry("preferredVersion", Map.of("groupVersion", "apps/v1", "version", "v1"));
    assertThat(Discovery.group("batch")).isEmpty();
    assertThat(Discovery.resources("apps", "v1beta1")).isEmpty();
  }

  @Test
  void coreVersionsAndVersion() {
    assertThat(Discovery.coreVersions("127.0.0.1:8080")).containsEntry("versions", List.of("v1"));
    assertThat(Discovery.version("v1.32.0+minik8s-v0.1.0", "linux/amd64"))
        .containsEntry("major", "1").containsEntry("minor", "32");
  }
}
