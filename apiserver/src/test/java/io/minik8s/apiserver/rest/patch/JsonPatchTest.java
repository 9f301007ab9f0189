package io.minik8s.apiserver.rest.patch;

import static io.minik8s.apiserver.rest.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonPatchTest {
  private static String apply(String doc, String patch) {
    return JsonPatch.apply(json(doc), json(patch)).toString();
  }

  @Test
  void addRemoveReplaceOnObjectsAndArrays() {
    assertThat(apply("{'a':1,'l':[1,2]}", "[{'op':'add','path':'/b','value':2},{'op':'add','path':'/l/1','value':9},"
        + "{'op':'add','path':'/l/-','value':3},{'op':'remove','path':'/a'},{'op':'replace','path':'/l/0','value':0}]"))
        .isEqualTo(json("{'l':[0,9,2,3],'b':2}").toString());
  }

  @Test
  void moveCopyAndTest() {
    assertThat(apply("{'a':{'x':1},'b':{}}", "[{'op':'test','path':'/a/x','value':1},"
        + "{'op':'copy','from':'/a/x','path':'/b/y'},{'op':'move','from':'/a','path':'/c'}]"))
        .isEqualTo(json("{'b':{'y':1},'c':{'x':1}}").toString());
  }

  @Test
  void pointersUnescapeSlashAndTilde() {
    assertThat(apply("{'metadata':{'annotations':{'a/b':'1','c~d':'2'}}}",
        "[{'op':'replace','path':'/metadata/annotations/a~1b','value':'x'},"
            + "{'op':'remove','path':'/metadata/annotations/c~0d'}]"))
        .isEqualTo(json("{'metadata':{'annotations':{'a/b':'x'}}}").toString());
  }

  @Test
  void failuresAreAllOrNothingAndSayWhy() {
    JsonNode doc = json("{'a':1}");
    assertThatThrownBy(() -> JsonPatch.apply(doc, json("[{'op':'add','path':'/b','value':2},"
        + "{'op':'test','path':'/a','value':2}]"))).isInstanceOf(PatchException.class)
        .hasMessageContaining("test failed").matches(e -> !((PatchException) e).malformed());
    assertThat(doc.toString()).isEqualTo("{\"a\":1}");
    assertThatThrownBy(() -> apply("{}", "[{'op':'replace','path':'/x','value':1}]"))
        .hasMessageContaining("/x does not exist");
    assertThatThrownBy(() -> apply("{}", "[{'op':'jump','path':'/x'}]"))
        .matches(e -> ((PatchException) e).malformed());
    assertThatThrownBy(() -> apply("{}", "{'op':'add'}")).isInstanceOf(PatchException.class);
  }
}
