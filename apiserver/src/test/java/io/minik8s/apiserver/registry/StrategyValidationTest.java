package io.minik8s.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.Container;
import io.minik8s.api.ContainerPort;
import io.minik8s.api.Deployment;
import io.minik8s.api.DeploymentSpec;
import io.minik8s.api.ExecAction;
import io.minik8s.api.IntOrString;
import io.minik8s.api.LabelSelector;
import io.minik8s.api.ObjectMeta;
import io.minik8s.api.Pod;
import io.minik8s.api.PodSpec;
import io.minik8s.api.PodTemplateSpec;
import io.minik8s.api.Probe;
import io.minik8s.api.ResourceRequirements;
import io.minik8s.api.Service;
import io.minik8s.api.ServicePort;
import io.minik8s.api.ServiceSpec;
import io.minik8s.api.StatusCause;
import io.minik8s.apiserver.registry.apps.DeploymentStrategy;
import io.minik8s.apiserver.registry.pods.PodStrategy;
import io.minik8s.apiserver.registry.core.ServiceStrategy;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.MetadataValidation;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategyValidationTest {
  private final PodStrategy pods = new PodStrategy();

  private static Pod pod(String name, Container... containers) {
    return Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace("default"))
        .setSpec(PodSpec.newBuilder().addAllContainers(List.of(containers))).build();
  }

  private List<String> problems(Pod pod) {
    Pod defaulted = pods.applyDefaults(pod);
    FieldErrors errs = new FieldErrors();
    MetadataValidation.validate(defaulted.getMetadata(), pods::validateName, true, errs);
    pods.validate(defaulted, errs);
    return errs.causes().stream().map(c -> c.getField() + ": " + c.getMessage()).toList();
  }

  @Test
  void defaultsAreKubernetesDefaults() {
    Pod p = pods.applyDefaults(pod("web", Container.newBuilder().setName("c").setImage("busybox:1.36")
        .addPorts(ContainerPort.newBuilder().setContainerPort(80))
        .setResources(ResourceRequirements.newBuilder().putLimits("cpu", "500m")).build(),
        Container.newBuilder().setName("d").setImage("localhost/busybox").build()));
    assertThat(p.getSpec().getRestartPolicy()).isEqualTo("Always");
    assertThat(p.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30);
    assertThat(p.getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
    assertThat(p.getSpec().getContainers(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(p.getSpec().getContainers(1).getImagePullPolicy()).isEqualTo("Always");
    assertThat(p.getSpec().getContainers(0).getPorts(0).getProtocol()).isEqualTo("TCP");
    assertThat(p.getSpec().getContainers(0).getResources().getRequestsMap()).containsEntry("cpu", "500m");
    assertThat(pods.prepareForCreate(p).getStatus().getQosClass()).isEqualTo("Burstable");
  }

  @Test
  void everyProblemIsReportedWithItsPath() {
    Pod bad = pod("Bad_Name",
        Container.newBuilder().setName("web").addPorts(ContainerPort.newBuilder().setContainerPort(70000)).build(),
        Container.newBuilder().setName("web").setImage("x")
            .setResources(ResourceRequirements.newBuilder().putRequests("cpu", "2").putLimits("cpu", "1")
                .putLimits("memory", "lots")).build());
    bad = bad.toBuilder().setSpec(bad.getSpec().toBuilder().setRestartPolicy("Sometimes")).build();
    List<String> problems = problems(bad);
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("metadata.name: Invalid value: \"Bad_Name\""));
    assertThat(problems).contains("spec.containers[0].image: Required value");
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("spec.containers[0].ports[0].containerPort: Invalid value: 70000"));
    assertThat(problems).contains("spec.containers[1].name: Duplicate value: \"web\"");
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("spec.containers[1].resources.limits[memory]: Invalid value: \"lots\""));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("spec.containers[1].resources.requests[cpu]: Invalid value: \"2\": must be less than or equal to cpu limit"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("spec.restartPolicy: Unsupported value: \"Sometimes\""));
  }

  @Test
  void aStartupProbeIsDefaultedLikeTheOthersAndItsSuccessThresholdMustBeOne() {
    Container c = Container.newBuilder().setName("web").setImage("localhost/busybox")
        .setStartupProbe(Probe.newBuilder().setExec(ExecAction.newBuilder().addCommand("true"))).build();
    Probe defaulted = pods.applyDefaults(pod("web", c)).getSpec().getContainers(0).getStartupProbe();
    assertThat(defaulted.getPeriodSeconds()).isEqualTo(10);
    assertThat(defaulted.getTimeoutSeconds()).isEqualTo(1);
    assertThat(defaulted.getSuccessThreshold()).isEqualTo(1);
    assertThat(defaulted.getFailureThreshold()).isEqualTo(3);
    assertThat(problems(pod("web", c))).isEmpty();

    Container twice = c.toBuilder().setStartupProbe(c.getStartupProbe().toBuilder().setSuccessThreshold(2)).build();
    assertThat(problems(pod("web", twice)))
        .containsExactly("spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1");
  }

  @Test
  void aValidPodHasNoProblems() {
    assertThat(problems(pod("web", Container.newBuilder().setName("web").setImage("localhost/busybox").build()))).isEmpty();
  }

  @Test
  void podSpecIsImmutableExceptImages() {
    Pod old = pods.applyDefaults(pod("web", Container.newBuilder().setName("web").setImage("a:1").build()));
    Pod newImage = old.toBuilder().setSpec(old.getSpec().toBuilder()
        .setContainers(0, old.getSpec().getContainers(0).toBuilder().setImage("a:2"))).build();
    Pod newCommand = old.toBuilder().setSpec(old.getSpec().toBuilder()
        .setContainers(0, old.getSpec().getContainers(0).toBuilder().addCommand("sh"))).build();
    FieldErrors ok = new FieldErrors();
    pods.validateUpdate(old, newImage, ok);
    assertThat(ok.isEmpty()).isTrue();
    FieldErrors forbidden = new FieldErrors();
    pods.validateUpdate(old, newCommand, forbidden);
    assertThat(forbidden.causes()).extracting(StatusCause::getField).containsExactly("spec");
  }

  @Test
  void deploymentSelectorMustMatchTemplate() {
    DeploymentStrategy s = new DeploymentStrategy();
    Deployment d = s.applyDefaults(Deployment.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("web").setNamespace("default"))
        .setSpec(DeploymentSpec.newBuilder()
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "web"))
            .setTemplate(PodTemplateSpec.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().putLabels("app", "other"))
                .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c").setImage("i")))))
        .build());
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    FieldErrors errs = new FieldErrors();
    s.validate(d, errs);
    assertThat(errs.causes()).extracting(StatusCause::getField).containsExactly("spec.template.metadata.labels");
  }

  @Test
  void serviceDefaultsTargetPortAndRejectsBadPorts() {
    ServiceStrategy s = new ServiceStrategy();
    Service svc = s.applyDefaults(Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("web").setNamespace("default"))
        .setSpec(ServiceSpec.newBuilder().putSelector("app", "web")
            .addPorts(ServicePort.newBuilder().setName("http").setPort(80))
            .addPorts(ServicePort.newBuilder().setName("bad").setPort(0)
                .setTargetPort(IntOrString.newBuilder().setStrVal("Not_A_Name")))
            .addPorts(ServicePort.newBuilder().setName("np").setPort(81).setNodePort(30080)))
        .build());
    assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(svc.getSpec().getPorts(0).getTargetPort().getIntVal()).isEqualTo(80);
    FieldErrors errs = new FieldErrors();
    s.validate(svc, errs);
    assertThat(errs.causes()).extracting(StatusCause::getField)
        .containsExactlyInAnyOrder("spec.ports[1].port", "spec.ports[1].targetPort", "spec.ports[2].nodePort");
  }
}
