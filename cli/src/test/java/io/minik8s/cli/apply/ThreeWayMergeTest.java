package io.minik8s.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreeWayMergeTest {

  /** Builds nested maps from key/value pairs: map("a", 1, "b", map("c", 2)). */
  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void addsFieldsTheManifestGainedAndReplacesChangedScalars() {
    Map<String, Object> live = map("metadata", map("name", "web", "labels", map("app", "web")),
        "spec", map("replicas", 1));
    Map<String, Object> last = map("metadata", map("name", "web", "labels", map("app", "web")),
        "spec", map("replicas", 1));
    Map<String, Object> desired = map("metadata", map("name", "web", "labels", map("app", "web", "tier", "fe")),
        "spec", map("replicas", 3));

    Map<String, Object> merged = ThreeWayMerge.merge(live, last, desired);

    assertThat(merged).isEqualTo(map("metadata", map("name", "web", "labels", map("app", "web", "tier", "fe")),
        "spec", map("replicas", 3)));
  }

  @Test
  void removesWhatWasLastAppliedAndIsNoLongerInTheManifest() {
    Map<String, Object> live = map("metadata", map("name", "web", "labels", map("app", "web", "tier", "fe")),
        "spec", map("replicas", 3, "paused", true));
    Map<String, Object> last = map("metadata", map("name", "web", "labels", map("app", "web", "tier", "fe")),
        "spec", map("replicas", 3, "paused", true));
    Map<String, Object> desired = map("metadata", map("name", "web", "labels", map("app", "web")),
        "spec", map("replicas", 3));

    Map<String, Object> merged = ThreeWayMerge.merge(live, last, desired);

    assertThat(merged).isEqualTo(map("metadata", map("name", "web", "labels", map("app", "web")),
        "spec", map("replicas", 3)));
  }

  @Test
  void keepsFieldsThatOthersSetAndTheUserNeverWrote() {
    Map<String, Object> live = map(
        "metadata", map("name", "web", "uid", "u-1", "resourceVersion", "7",
            "labels", map("app", "web", "added-by-controller", "yes")),
        "spec", map("containers", List.of(map("name", "c", "image", "nginx:1")), "nodeName", "node-1"),
        "status", map("phase", "Running"));
    Map<String, Object> last = map("metadata", map("name", "web", "labels", map("app", "web")),
        "spec", map("containers", List.of(map("name", "c", "image", "nginx:1"))));
    Map<String, Object> desired = map("metadata", map("name", "web", "labels", map("app", "web")),
        "spec", map("containers", List.of(map("name", "c", "image", "nginx:2"))));

    Map<String, Object> merged = ThreeWayMerge.merge(live, last, desired);

    assertThat(merged).isEqualTo(map(
        "metadata", map("name", "web", "uid", "u-1", "resourceVersion", "7",
            "labels", map("app", "web", "added-by-controller", "yes")),
        "spec", map("containers", List.of(map("name", "c", "image", "nginx:2")), "nodeName", "node-1"),
        "status", map("phase", "Running")));
  }

  @Test
  void listsTakeTheManifestsMembersInItsOrder() {
    Map<String, Object> live = map("spec", map("ports", List.of(map("port", 80, "nodePort", 30080),
        map("port", 443, "nodePort", 30443)), "externalIPs", List.of("1.2.3.4", "5.6.7.8")));
    Map<String, Object> desired = map("spec", map("ports", List.of(map("port", 8080), map("port", 80)),
        "externalIPs", List.of("9.9.9.9")));

    Map<String, Object> merged = ThreeWayMerge.merge(live, desired, desired);

    assertThat(merged).isEqualTo(map("spec", map("ports", List.of(map("port", 8080), map("port", 80, "nodePort", 30080)),
        "externalIPs", List.of("9.9.9.9"))));
  }

  @Test
  void elementsOfObjectListsKeepWhatTheServerFilledInAndLoseWhatTheUserDropped() {
    Map<String, Object> live = map("spec", map("containers", List.of(
        map("name", "web", "image", "nginx:1", "imagePullPolicy", "IfNotPresent", "args", List.of("-v"),
            "ports", List.of(map("containerPort", 80, "protocol", "TCP"))),
        map("name", "sidecar", "image", "envoy", "imagePullPolicy", "IfNotPresent"))));
    Map<String, Object> last = map("spec", map("containers", List.of(
        map("name", "web", "image", "nginx:1", "args", List.of("-v"), "ports", List.of(map("containerPort", 80))),
        map("name", "sidecar", "image", "envoy"))));
    Map<String, Object> desired = map("spec", map("containers", List.of(
        map("name", "web", "image", "nginx:2", "ports", List.of(map("containerPort", 80))))));

    Map<String, Object> merged = ThreeWayMerge.merge(live, last, desired);

    assertThat(merged).isEqualTo(map("spec", map("containers", List.of(
        map("name", "web", "image", "nginx:2", "imagePullPolicy", "IfNotPresent",
            "ports", List.of(map("containerPort", 80, "protocol", "TCP")))))));
  }

  @Test
  void objectListsWithoutADistinctMergeKeyAreReplacedWhole() {
    Map<String, Object> live = map("tolerations", List.of(map("key", "a", "effect", "NoSchedule", "extra", 1)));
    Map<String, Object> desired = map("tolerations", List.of(map("key", "a", "effect", "NoSchedule"),
        map("key", "a", "effect", "NoExecute")));

    assertThat(ThreeWayMerge.merge(live, Map.of(), desired)).isEqualTo(desired);
  }

  @Test
  void aNullInTheManifestRemovesTheField() {
    Map<String, Object> live = map("spec", map("replicas", 3, "paused", true));
    Map<String, Object> desired = new HashMap<>();
    Map<String, Object> spec = new HashMap<>();
    spec.put("paused", null);
    desired.put("spec", spec);

    assertThat(ThreeWayMerge.merge(live, Map.of(), desired)).isEqualTo(map("spec", map("replicas", 3)));
  }

  @Test
  void withoutALastAppliedConfigurationNothingIsRemoved() {
    Map<String, Object> live = map("metadata", map("labels", map("a", "1", "b", "2")));
    Map<String, Object> desired = map("metadata", map("labels", map("a", "9")));

    assertThat(ThreeWayMerge.merge(live, Map.of(), desired))
        .isEqualTo(map("metadata", map("labels", map("a", "9", "b", "2"))));
  }

  @Test
  void aScalarBecomingAMapReplacesIt() {
    Map<String, Object> live = map("x", "scalar");
    Map<String, Object> desired = map("x", map("y", 1));

    assertThat(ThreeWayMerge.merge(live, Map.of(), desired)).isEqualTo(map("x", map("y", 1)));
  }

  @Test
  void leavesItsInputsUntouchedAndSharesNothingMutableWithThem() {
    List<Object> containers = new ArrayList<>(List.of(map("name", "c")));
    Map<String, Object> live = map("spec", map("replicas", 1), "metadata", map("labels", map("a", "1")));
    Map<String, Object> last = map("metadata", map("labels", map("a", "1")));
    Map<String, Object> desired = map("spec", map("containers", containers), "metadata", map("labels", map()));
    String before = live.toString() + last + desired;

    Map<String, Object> merged = ThreeWayMerge.merge(live, last, desired);
    @SuppressWarnings("unchecked")
    List<Object> mergedContainers = (List<Object>) ((Map<String, Object>) merged.get("spec")).get("containers");
    mergedContainers.clear();

    assertThat(live.toString() + last + desired).isEqualTo(before);
    assertThat(containers).hasSize(1);
  }
}
