package io.minik8s.apiserver.rest.patch;

import static io.minik8s.apiserver.rest.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class JsonMergePatchTest {
  /** The example of RFC 7386, section 3. */
  @Test
  void rfc7386Example() {
    JsonNode target = json("{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},"
        + "'tags':['example','sample'],'content':'This will be unchanged'}");
    JsonNode patch = json("{'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},"
        + "'tags':['example']}");
    assertThat(JsonMergePatch.apply(target, patch)).isEqualTo(json("{'title':'Hello!','author':{'givenName':'John'},"
        + "'tags':['example'],'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}"));
    assertThat(target.at("/author/familyName").asText()).isEqualTo("Doe");
  }

  @Test
  void aNonObjectPatchReplacesTheWholeValue() {
    assertThat(JsonMergePatch.apply(json("{'a':1}"), json("[1]"))).isEqualTo(json("[1]"));
    assertThat(JsonMergePatch.apply(json("{'a':'x'}"), json("{'a':{'b':1}}"))).isEqualTo(json("{'a':{'b':1}}"));
  }
}
