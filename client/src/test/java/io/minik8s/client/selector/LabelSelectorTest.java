package io.minik8s.client.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.LabelSelectorRequirement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {
  private static final Map<String, String> WEB = Map.of("app", "web", "tier", "frontend", "env", "a");

  @Test
  void parsesEveryOperatorAndPrintsCanonically() {
    LabelSelector s = LabelSelector.parse("tier!=db, app==web,env in (b, a),env notin (c),has,!nothas");
    assertThat(s.toString()).isEqualTo("app=web,env in (a,b),env notin (c),has,!nothas,tier!=db");
    assertThat(LabelSelector.parse(s.toString())).isEqualTo(s);
    assertThat(s.requirements()).hasSize(6);
  }

  @Test
  void sameMeaningDifferentSpellingIsEqual() {
    assertThat(LabelSelector.parse("b==1, a in (y,x)")).isEqualTo(LabelSelector.parse("a in (x,y),b=1"))
        .hasSameHashCodeAs(LabelSelector.parse("a in (x,y),b=1"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "app=web                 | true",
      "app=db                  | false",
      "app!=db                 | true",
      "missing!=x              | true",
      "app==web,tier=frontend  | true",
      "env in (a,b)            | true",
      "env in (b,c)            | false",
      "missing in (a)          | false",
      "env notin (b)           | true",
      "env notin (a)           | false",
      "missing notin (a)       | true",
      "app                     | true",
      "missing                 | false",
      "!missing                | true",
      "!app                    | false",
      "app=web,!tier           | false",
      "''                      | true",
  })
  void matchesLikeKubernetes(String selector, boolean expected) {
    assertThat(LabelSelector.parse(selector).matches(WEB)).isEqualTo(expected);
  }

  @Test
  void emptyValueAfterEqualsSelectsEmptyLabel() {
    LabelSelector s = LabelSelector.parse("tier=");
    assertThat(s.matches(Map.of("tier", ""))).isTrue();
    assertThat(s.matches(Map.of("tier", "x"))).isFalse();
    assertThat(s.toString()).isEqualTo("tier=");
  }

  @Test
  void emptySelectorMatchesEverything() {
    assertThat(LabelSelector.parse("  ").isEmpty()).isTrue();
    assertThat(LabelSelector.everything().matches(Map.of())).isTrue();
    assertThat(LabelSelector.everything().toString()).isEmpty();
  }

  @Test
  void prefixedKeysAreAccepted() {
    LabelSelector s = LabelSelector.parse("app.kubernetes.io/name=web");
    assertThat(s.matches(Map.of("app.kubernetes.io/name", "web"))).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "app=web,                | expected a label key",
      "app in ()               | values set can't be empty",
      "app in (a               | expected ',' or ')'",
      "app in a                | expected '(' after 'in'",
      "app = web = x           | expected ',' or end of selector",
      "app >< x                | expected an operator",
      "app foo (a)             | expected an operator",
      "!                       | expected a label key after '!'",
      "=web                    | expected a label key",
      "-app=web                | invalid label key \"-app\"",
      "/app=web                | prefix part must be non-empty",
      "Example.com/app=web     | prefix part a lowercase RFC 1123 subdomain",
      "app=-web                | invalid label value \"-web\" for key \"app\"",
  })
  void rejectsBadSyntaxNamingTheProblem(String selector, String problem) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void rejectsTooLongNamesAndValues() {
    String long64 = "a".repeat(64);
    assertThatThrownBy(() -> LabelSelector.parse(long64 + "=x")).hasMessageContaining("no more than 63");
    assertThatThrownBy(() -> LabelSelector.parse("x=" + long64)).hasMessageContaining("no more than 63");
    assertThat(LabelSelector.parse("a".repeat(63) + "=" + "b".repeat(63)).isEmpty()).isFalse();
  }

  @Test
  void buildsFromTheProtoSelector() {
    io.minik8s.api.LabelSelector proto = io.minik8s.api.LabelSelector.newBuilder()
        .putMatchLabels("app", "web")
        .addMatchExpressions(expr("env", "In", "a", "b"))
        .addMatchExpressions(expr("tier", "NotIn", "db"))
        .addMatchExpressions(expr("has", "Exists"))
        .addMatchExpressions(expr("legacy", "DoesNotExist"))
        .build();
    LabelSelector s = LabelSelector.from(proto);
    assertThat(s.toString()).isEqualTo("app=web,env in (a,b),has,!legacy,tier notin (db)");
    assertThat(s.matches(Map.of("app", "web", "env", "b", "has", ""))).isTrue();
    assertThat(s.matches(Map.of("app", "web", "env", "b", "has", "", "legacy", "1"))).isFalse();
    assertThat(LabelSelector.from(io.minik8s.api.LabelSelector.getDefaultInstance()).isEmpty()).isTrue();
  }

  @Test
  void rejectsBadProtoExpressionsNamingTheField() {
    assertThatThrownBy(() -> LabelSelector.from(io.minik8s.api.LabelSelector.newBuilder()
        .addMatchExpressions(expr("env", "Gt", "1")).build()))
        .hasMessageContaining("matchExpressions[0].operator: unsupported operator \"Gt\"");
    assertThatThrownBy(() -> LabelSelector.from(io.minik8s.api.LabelSelector.newBuilder()
        .addMatchExpressions(expr("env", "In")).build()))
        .hasMessageContaining("matchExpressions[0]").hasMessageContaining("values must be non-empty");
    assertThatThrownBy(() -> LabelSelector.from(io.minik8s.api.LabelSelector.newBuilder()
        .addMatchExpressions(expr("env", "In", "a"))
        .addMatchExpressions(expr("env", "Exists", "a")).build()))
        .hasMessageContaining("matchExpressions[1]").hasMessageContaining("values must be empty");
  }

  @Test
  void fromLabelsIsAConjunctionOfEqualities() {
    LabelSelector s = LabelSelector.fromLabels(Map.of("app", "web", "tier", "frontend"));
    assertThat(s.toString()).isEqualTo("app=web,tier=frontend");
    assertThat(s.matches(WEB)).isTrue();
    assertThat(s.matches(Map.of("app", "web"))).isFalse();
    assertThat(s.requiredValue("app")).contains("web");
    assertThat(s.requiredValue("env")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a.b-c_d", "example.com/a", "x/y"})
  void validKeys(String key) {
    assertThat(LabelValidation.keyErrors(key)).isEmpty();
  }

  private static LabelSelectorRequirement expr(String key, String op, String... values) {
    return LabelSelectorRequirement.newBuilder().setKey(key).setOperator(op)
        .addAllValues(java.util.List.of(values)).build();
  }
}
