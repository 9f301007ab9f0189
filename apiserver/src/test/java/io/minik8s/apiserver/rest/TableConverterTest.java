package io.minik8s.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import io.minik8s.api.Container;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodStatus;
import io.minik8s.apiserver.rest.TableConverter.IncludeObject;
import io.minik8s.client.api.ApiException;
import io.minik8s.client.api.Kinds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableConverterTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private final TableConverter tables = new TableConverter(Clock.fixed(NOW, ZoneOffset.UTC), new ObjectJson());

  private static Pod pod() {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("web-1").setNamespace("demo").putLabels("app", "web")
            .setCreationTimestamp(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 90)))
        .setSpec(PodSpec.newBuilder().setNodeName("node-1").addContainers(Container.newBuilder().setName("c")))
        .setStatus(PodStatus.newBuilder().setPhase("Running").setPodIp("10.1.0.5"))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static <T> T get(Map<String, Object> map, String key) {
    return (T) map.get(key);
  }

  @Test
  void podColumnsAreKubectlsWithTheWideOnesAtPriorityOne() {
    Map<String, Object> table = tables.table(Kinds.POD, List.of(pod()), "42", "", IncludeObject.METADATA);
    assertThat(table).containsEntry("kind", "Table").containsEntry("apiVersion", "meta.k8s.io/v1")
        .containsEntry("metadata", Map.of("resourceVersion", "42"));
    List<Map<String, Object>> columns = get(table, "columnDefinitions");
    assertThat(columns).extracting(c -> c.get("name"))
        .containsExactly("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node",
            "Readiness Gates");
    assertThat(columns).extracting(c -> c.get("priority")).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
    assertThat(columns.get(0)).containsEntry("format", "name");
  }

  @Test
  void rowsHaveTheCellsAndTheObjectAsAsked() {
    List<Map<String, Object>> rows = get(tables.table(Kinds.POD, List.of(pod()), "", "", IncludeObject.METADATA),
        "rows");
    assertThat(TableConverterTest.<List<Object>>get(rows.get(0), "cells"))
        .containsExactly("web-1", "0/1", "Running", "0", "90s", "10.1.0.5", "node-1", "<none>", "<none>");
    Map<String, Object> partial = get(rows.get(0), "object");
    assertThat(partial).containsEntry("kind", "PartialObjectMetadata");
    assertThat(get(partial, "metadata").toString()).contains("namespace=demo", "app=web");

    rows = get(tables.table(Kinds.POD, List.of(pod()), "", "", IncludeObject.OBJECT), "rows");
    assertThat(get(rows.get(0), "object").toString()).contains("kind=Pod", "nodeName=node-1");
    rows = get(tables.table(Kinds.POD, List.of(pod()), "", "", IncludeObject.NONE), "rows");
    assertThat(rows.get(0)).doesNotContainKey("object");
  }

  @Test
  void columnNamesAreSpelledAsKubernetesSpellsThem() {
    assertThat(TableConverter.columnName("CLUSTER-IP")).isEqualTo("Cluster-IP");
    assertThat(TableConverter.columnName("UP-TO-DATE")).isEqualTo("Up-to-date");
    assertThat(TableConverter.columnName("LAST SEEN")).isEqualTo("Last Seen");
    assertThat(TableConverter.columnName("PORT(S)")).isEqualTo("Port(s)");
  }

  @Test
  void theAcceptHeaderOfKubectlGetAsksForATable() {
    assertThat(TableConverter.wanted("application/json;as=Table;v=v1;g=meta.k8s.io,"
        + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")).isTrue();
    assertThat(TableConverter.wanted("application/json")).isFalse();
    assertThat(TableConverter.wanted("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"))
        .isFalse();
  }

  @Test
  void includeObjectTakesKubernetesValues() {
    assertThat(IncludeObject.parse("")).isEqualTo(IncludeObject.METADATA);
    assertThat(IncludeObject.parse("Object")).isEqualTo(IncludeObject.OBJECT);
    assertThatThrownBy(() -> IncludeObject.parse("All")).isInstanceOf(ApiException.class)
        .hasMessageContaining("Unsupported value");
  }
}
