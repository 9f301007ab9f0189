package io.minik8s.controllermanager.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.minik8s.api.PodTemplateSpec;
import io.minik8s.controllermanager.testing.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
  @Test
  void stableAcrossLabelOrderAndIgnoresItsOwnLabel() {
    PodTemplateSpec a = Fixtures.template(Map.of("app", "web", "tier", "front"), "nginx:1");
    PodTemplateSpec b = Fixtures.template(Map.of("tier", "front", "app", "web"), "nginx:1");
    String hash = PodTemplateHash.of(a);
    assertThat(PodTemplateHash.of(b)).isEqualTo(hash);
    assertThat(PodTemplateHash.of(a.toBuilder().setMetadata(a.getMetadata().toBuilder()
        .putLabels(PodTemplateHash.LABEL, "xyz")).build())).isEqualTo(hash);
    assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
  }

  @Test
  void differsWhenTheTemplateDiffers() {
    assertThat(PodTemplateHash.of(Fixtures.template(Map.of("app", "web"), "nginx:1")))
        .isNotEqualTo(PodTemplateHash.of(Fixtures.template(Map.of("app", "web"), "nginx:2")));
  }
}
