package io.minik8s.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.client.api.ApiException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestRequestTest {
  private static RestRequest withQuery(Map<String, List<String>> query) {
    return new RestRequest("GET", "/api/v1/pods", query, "", "", "", "", new byte[0]);
  }

  /** kubectl sends {@code watch=true}, the Python client {@code watch=True}: Go's ParseBool takes both. */
  @Test
  void flagsReadAsGoParsesBooleans() {
    for (String yes : List.of("true", "True", "TRUE", "t", "T", "1", "")) {
      assertThat(withQuery(Map.of("watch", List.of(yes))).flag("watch")).as(yes).isTrue();
    }
    for (String no : List.of("false", "False", "0", "f")) {
      assertThat(withQuery(Map.of("watch", List.of(no))).flag("watch")).as(no).isFalse();
    }
    assertThat(withQuery(Map.of()).flag("watch")).isFalse();
  }

  @Test
  void aBooleanParameterGoCannotParseIsABadRequestNamingIt() {
    assertThatThrownBy(() -> withQuery(Map.of("watch", List.of("yes"))).flag("watch"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessageContaining("watch: invalid value \"yes\"");
    assertThat(RequestMetrics.labels(withQuery(Map.of("watch", List.of("yes"))))).containsExactly("list", "pods");
  }
}
