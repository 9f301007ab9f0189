package io.minik8s.kubelet.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogRequestTest {
  @Test
  void parsesThePathAndTheKubectlParameters() {
    LogRequest r = LogRequest.parse("/containerLogs/ns/web/httpd?follow=true&tailLines=5&previous&timestamps=1");
    assertThat(r).isEqualTo(new LogRequest("ns", "web", "httpd", true, 5, true, true));
    assertThat(LogRequest.parse("/containerLogs/ns/web/httpd?follow=false"))
        .isEqualTo(new LogRequest("ns", "web", "httpd", false, -1, false, false));
  }

  @Test
  void rejectsMalformedRequests() {
    assertThatThrownBy(() -> LogRequest.parse("/containerLogs/ns/web")).hasMessageContaining("{container}");
    assertThatThrownBy(() -> LogRequest.parse("/containerLogs/ns/web/c?tailLines=x")).hasMessageContaining("tailLines");
    assertThatThrownBy(() -> LogRequest.parse("/containerLogs/ns/web/c?tailLines=-2")).hasMessageContaining(">= 0");
    assertThatThrownBy(() -> LogRequest.parse("/logs/x")).hasMessageContaining("not a container log path");
  }
}
