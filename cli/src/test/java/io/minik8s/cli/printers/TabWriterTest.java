package io.minik8s.cli.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TabWriterTest {

  @Test
  void alignsTablesLikeKubectlGet() {
    List<String> lines = TabWriter.forTables().formatRows(List.of(
        List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
        List.of("web", "1/1", "Running", "0", "5m"),
        List.of("database-0", "0/1", "ContainerCreating", "0", "12s")));

    assertThat(lines).containsExactly(
        "NAME         READY   STATUS              RESTARTS   AGE",
        "web          1/1     Running             0          5m",
        "database-0   0/1     ContainerCreating   0          12s");
  }

  @Test
  void narrowColumnsAreAtLeastSixWideAndTheLastIsNotPadded() {
    List<String> lines = TabWriter.forTables().formatRows(List.of(List.of("a", "b", "c"), List.of("d", "e", "f")));

    assertThat(lines).containsExactly("a     b     c", "d     e     f");
  }

  @Test
  void remembersWidthsSoLaterRowsLineUpUnderTheHeader() {
    TabWriter tabs = TabWriter.forTables();
    tabs.formatRows(List.of(List.of("NAME", "READY", "STATUS", "AGE"), List.of("web-123", "0/1", "Pending", "0s")));

    assertThat(tabs.formatRows(List.of(List.of("web", "1/1", "Running", "2s"))))
        .containsExactly("web       1/1     Running   2s");
    assertThat(tabs.formatRows(List.of(List.of("web", "0/1", "ContainerCreating", "2s"))))
        .containsExactly("web       0/1     ContainerCreating   2s");
  }

  @Test
  void alignsNestedDescribeBlocksLikeGoTabwriter() {
    String text = "Name:\tweb\n"
        + "Namespace:\tdefault\n"
        + "Containers:\n"
        + "  c:\n"
        + "    Image:\tnginx\n"
        + "    State:\tRunning\n"
        + "      Started:\tnow\n"
        + "    Restart Count:\t0\n"
        + "Events:\t<none>\n";

    assertThat(TabWriter.forDescribe().format(text)).isEqualTo(
        "Name:       web\n"
            + "Namespace:  default\n"
            + "Containers:\n"
            + "  c:\n"
            + "    Image:          nginx\n"
            + "    State:          Running\n"
            + "      Started:      now\n"
            + "    Restart Count:  0\n"
            // The block that "    Image:" started runs on to "Events:", as in real kubectl output.
            + "Events:             <none>\n");
  }

  @Test
  void continuationLinesWithAnEmptyFirstCellAlignUnderTheValue() {
    String text = "Labels:\tapp=web\n\ttier=fe\nAnnotations:\t<none>\n";

    assertThat(TabWriter.forDescribe().format(text)).isEqualTo(
        "Labels:       app=web\n"
            + "              tier=fe\n"
            + "Annotations:  <none>\n");
  }

  @Test
  void countsCharactersNotBytes() {
    List<String> lines = TabWriter.forTables().formatRows(List.of(List.of("naïve", "x"), List.of("plain", "y")));

    assertThat(lines).containsExactly("naïve   x", "plain   y");
  }
}
