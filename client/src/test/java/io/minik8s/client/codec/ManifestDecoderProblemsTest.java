package io.minik8s.client.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.minik8s.client.api.Kinds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every problem comes back, each with its line, document and Kubernetes field path. */
class ManifestDecoderProblemsTest {
  private final ManifestDecoder decoder = new ManifestDecoder();

  private List<ManifestProblem> problems(String text) {
    return catchThrowableOfType(ManifestException.class, () -> decoder.decode("pod.yaml", text)).problems();
  }

  @Test
  void collectsEveryProblemOfEveryDocument() {
    String text = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: fine
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels:
            version: 1
        spec:
          containers:
          - name: web
            image: nginx
            volumeMounts:
            - name: data
              mountPath: /data
            ports:
            - containerPort: eighty
            - containerport: 80
          hostNetwork: "true"
          terminationGracePeriodSeconds: 99999999999999999999
          colour: blue
        ---
        apiVersion: apps/v1
        kind: Deployment
        spec:
          replicas: three
        """;

    ManifestException e = catchThrowableOfType(ManifestException.class, () -> decoder.decode("pod.yaml", text));

    assertThat(e.problems())
        .extracting(ManifestProblem::line, ManifestProblem::document, ManifestProblem::fieldPath, ManifestProblem::message)
        .containsExactly(
            tuple(11, 2, "metadata.labels[version]", "expected string, got number 1"),
            tuple(16, 2, "spec.containers[0].volumeMounts", "not supported by minik8s"),
            tuple(20, 2, "spec.containers[0].ports[0].containerPort", "expected integer, got string \"eighty\""),
            tuple(21, 2, "spec.containers[0].ports[1].containerport", "unknown field (did you mean \"containerPort\"?)"),
            tuple(22, 2, "spec.hostNetwork", "expected boolean, got string \"true\""),
            tuple(23, 2, "spec.terminationGracePeriodSeconds", "integer 99999999999999999999 is out of range for int64"),
            tuple(24, 2, "spec.colour", "unknown field"),
            tuple(29, 3, "spec.replicas", "expected integer, got string \"three\""));
    assertThat(e.problems()).allSatisfy(p -> assertThat(p.source()).isEqualTo("pod.yaml"));
    assertThat(e.getMessage()).startsWith("""
        pod.yaml:11 (document 2): metadata.labels[version]: expected string, got number 1
        pod.yaml:16 (document 2): spec.containers[0].volumeMounts: not supported by minik8s
        """).endsWith("pod.yaml:29 (document 3): spec.replicas: expected integer, got string \"three\"");
  }

  @Test
  void reservedNamesAreNotSupportedInKubernetesSpellingOnly() {
    assertThat(problems("""
        apiVersion: v1
        kind: Pod
        spec:
          hostPID: true
          volumes: []
          host_pid: true
          Volumes: []
        """)).extracting(ManifestProblem::fieldPath, ManifestProblem::message).containsExactly(
            tuple("spec.hostPID", "not supported by minik8s"),
            tuple("spec.volumes", "not supported by minik8s"),
            tuple("spec.host_pid", "unknown field"),
            tuple("spec.Volumes", "unknown field"));
  }

  @Test
  void typesAreCheckedStrictly() {
    assertThat(problems("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: [web]
          generation: 1.5
          annotations:
            enabled: true
          finalizers: done
        spec:
          replicas: "3"
          paused: 1
          strategy: RollingUpdate
          revisionHistoryLimit: 2147483648
          template:
            spec:
              containers:
              - ~
              - ports:
                - containerPort: 80
                  hostPort: -1
                livenessProbe:
                  httpGet:
                    port: {number: 80}
                  tcpSocket:
                    port: 99999999999
        status:
          conditions:
          - lastUpdateTime: yesterday
        """)).extracting(ManifestProblem::line, ManifestProblem::fieldPath, ManifestProblem::message).containsExactly(
            tuple(4, "metadata.name", "expected string, got array"),
            tuple(5, "metadata.generation", "expected integer, got number 1.5"),
            tuple(7, "metadata.annotations[enabled]", "expected string, got boolean true"),
            tuple(8, "metadata.finalizers", "expected array, got string \"done\""),
            tuple(10, "spec.replicas", "expected integer, got string \"3\""),
            tuple(11, "spec.paused", "expected boolean, got number 1"),
            tuple(12, "spec.strategy", "expected object, got string \"RollingUpdate\""),
            tuple(13, "spec.revisionHistoryLimit", "integer 2147483648 is out of range for int32"),
            tuple(17, "spec.template.spec.containers[0]", "expected object, got null"),
            tuple(23, "spec.template.spec.containers[1].livenessProbe.httpGet.port",
                "expected integer or string, got object"),
            tuple(25, "spec.template.spec.containers[1].livenessProbe.tcpSocket.port",
                "integer 99999999999 is out of range for int32"),
            tuple(28, "status.conditions[0].lastUpdateTime",
                "expected an RFC 3339 time such as \"2026-11-27T10:00:00Z\", got string \"yesterday\""));
  }

  @Test
  void quantitiesAreNotCheckedHereButMayBeNumbers() {
    // Kubernetes' Quantity takes `cpu: 1` and `cpu: 0.5`; whether "lots" is a quantity is validation's call.
    var pod = decoder.decode(Kinds.POD, """
        apiVersion: v1
        kind: Pod
        spec:
          containers:
          - name: app
            resources:
              requests: {cpu: 0.5, memory: lots}
              limits: {cpu: 1}
        """);
    var resources = pod.getSpec().getContainers(0).getResources();
    assertThat(resources.getRequestsMap()).containsEntry("cpu", "0.5").containsEntry("memory", "lots");
    assertThat(resources.getLimitsMap()).containsEntry("cpu", "1");
  }

  @Test
  void missingOrUnknownKindNamesWhatIsServed() {
    List<ManifestProblem> found = problems("""
        metadata:
          name: nothing
        ---
        apiVersion: v1
        kind: pod
        ---
        apiVersion: extensions/v1beta1
        kind: Deployment
        ---
        kind: Service
        ---
        apiVersion: v1
        kind: ConfigMap
        """);
    assertThat(found).extracting(ManifestProblem::line, ManifestProblem::document, ManifestProblem::fieldPath)
        .containsExactly(
            tuple(1, 1, "kind"), tuple(1, 1, "apiVersion"),
            tuple(5, 2, "kind"),
            tuple(7, 3, "apiVersion"),
            tuple(10, 4, "apiVersion"),
            tuple(13, 5, "kind"));
    assertThat(found.get(0).message()).startsWith("missing (minik8s serves: v1 Namespace, v1 Node, v1 Pod")
        .contains("apps/v1 Deployment", "coordination.k8s.io/v1 Lease", "v1 List");
    assertThat(found.get(2).message()).startsWith("unknown kind \"pod\" (did you mean \"Pod\"?); minik8s serves:");
    assertThat(found.get(3).message()).isEqualTo("Deployment is served as apps/v1, not \"extensions/v1beta1\"");
    assertThat(found.get(4).message()).isEqualTo("missing (Service is served as v1)");
    assertThat(found.get(5).message()).startsWith("unknown kind \"ConfigMap\"; minik8s serves:");
  }

  @Test
  void yamlSyntaxErrorIsAProblemWithItsLineAfterTheProblemsBeforeIt() {
    List<ManifestProblem> found = problems("""
        apiVersion: v1
        kind: Namespace
        metadata:
          nmae: typo
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          labels: {app: web
        spec: {}
        """);
    assertThat(found).extracting(ManifestProblem::line, ManifestProblem::document, ManifestProblem::fieldPath)
        .containsExactly(tuple(4, 1, "metadata.nmae"), tuple(10, 2, ""));
    assertThat(found.get(1).message()).startsWith("invalid YAML: ");
    assertThat(found.get(1).toString()).startsWith("pod.yaml:10 (document 2): invalid YAML: ");
  }

  @Test
  void duplicateKeysAreReported() {
    assertThat(problems("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: a
          name: b
          labels:
            app: x
            app: y
        kind: Pod
        """)).extracting(ManifestProblem::line, ManifestProblem::fieldPath, ManifestProblem::message).containsExactly(
            tuple(5, "metadata.name", "duplicate field"),
            tuple(8, "metadata.labels[app]", "duplicate key"),
            tuple(9, "kind", "duplicate field"));
  }

  @Test
  void listItemsAreReportedWithTheirIndex() {
    assertThat(problems("""
        apiVersion: v1
        kind: List
        metadata:
          resourceVersion: ""
        items:
        - apiVersion: v1
          kind: Service
          spec:
            ports:
            - targetPort: [80]
        - apiVersion: v1
          kind: List
          items: []
        - hello
        """)).extracting(ManifestProblem::line, ManifestProblem::document, ManifestProblem::fieldPath)
        .containsExactly(
            tuple(10, 1, "items[0].spec.ports[0].targetPort"),
            tuple(12, 1, "items[1].kind"),
            tuple(14, 1, "items[2]"));
  }

  @Test
  void aDocumentThatIsNotAnObjectIsAProblem() {
    assertThat(problems("just text\n")).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(1);
      assertThat(p.message()).isEqualTo(
          "expected a Kubernetes object (a mapping with apiVersion and kind), got string \"just text\"");
    });
  }

  @Test
  void decodingOneObjectChecksItsKindAndReportsProblemsToo() {
    ManifestException e = catchThrowableOfType(ManifestException.class,
        () -> decoder.decode(Kinds.POD, "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"spec\": {\"nodeName\": 5}}"));
    assertThat(e.problems()).extracting(ManifestProblem::fieldPath, ManifestProblem::message)
        .containsExactly(tuple("kind", "expected Pod, got \"Service\""));
    assertThat(e.getMessage()).isEqualTo("<input>:1 (document 1): kind: expected Pod, got \"Service\"");

    e = catchThrowableOfType(ManifestException.class,
        () -> decoder.decode(Kinds.POD, "request", "{\"spec\": {\"nodeName\": 5,\n \"hostNetwork\": \"no\"}}"));
    assertThat(e.problems()).extracting(ManifestProblem::line, ManifestProblem::fieldPath)
        .containsExactly(tuple(1, "spec.nodeName"), tuple(2, "spec.hostNetwork"));

    e = catchThrowableOfType(ManifestException.class, () -> decoder.decode(Kinds.POD, "  \n"));
    assertThat(e.problems()).extracting(ManifestProblem::message).containsExactly("empty document: expected a Pod");
  }

  @Test
  void aliasesAreFollowedAndCheckedLikeAnyValue() {
    assertThat(problems("""
        apiVersion: v1
        kind: Pod
        metadata: &m
          name: loop
          ownerReferences: [*m]
        """)).extracting(ManifestProblem::line, ManifestProblem::fieldPath, ManifestProblem::message).containsExactly(
            tuple(5, "metadata.ownerReferences[0].ownerReferences", "unknown field"));
  }
}
