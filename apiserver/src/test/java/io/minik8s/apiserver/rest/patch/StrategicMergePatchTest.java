package io.minik8s.apiserver.rest.patch;

import static io.minik8s.apiserver.rest.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minik8s.api.Deployment;
import io.minik8s.api.Pod;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {
  private static JsonNode pod(String original, String patch) {
    return StrategicMergePatch.apply((ObjectNode) json(original), json(patch), Pod.getDescriptor());
  }

  private static final String POD = "{'metadata':{'name':'p','labels':{'app':'web','tier':'fe'},"
      + "'finalizers':['a','b']},'spec':{'containers':["
      + "{'name':'a','image':'a:1','command':['sh','-c','x'],'env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}],"
      + "'ports':[{'containerPort':80,'name':'http'}]},"
      + "{'name':'b','image':'b:1'}]}}";

  @Test
  void containersMergeByNameAndNewOnesAreAppended() {
    JsonNode result = pod(POD, "{'spec':{'containers':[{'name':'b','image':'b:2'},{'name':'c','image':'c:1'}]}}");
    assertThat(result.at("/spec/containers")).hasSize(3);
    assertThat(result.at("/spec/containers/0/image").asText()).isEqualTo("a:1");
    assertThat(result.at("/spec/containers/1").toString()).isEqualTo(json("{'name':'b','image':'b:2'}").toString());
    assertThat(result.at("/spec/containers/2/name").asText()).isEqualTo("c");
  }

  @Test
  void envMergesByNameAndPortsByContainerPort() {
    JsonNode result = pod(POD, "{'spec':{'containers':[{'name':'a','env':[{'name':'Y','value':'3'},"
        + "{'name':'Z','value':'4'}],'ports':[{'containerPort':80,'protocol':'TCP'}]}]}}");
    assertThat(result.at("/spec/containers/0/env").toString())
        .isEqualTo(json("[{'name':'X','value':'1'},{'name':'Y','value':'3'},{'name':'Z','value':'4'}]").toString());
    assertThat(result.at("/spec/containers/0/ports").toString())
        .isEqualTo(json("[{'containerPort':80,'name':'http','protocol':'TCP'}]").toString());
  }

  @Test
  void atomicListsAreReplacedAndNullsDelete() {
    JsonNode result = pod(POD, "{'metadata':{'labels':{'tier':null,'v':'2'}},"
        + "'spec':{'containers':[{'name':'a','command':['echo'],'image':null}]}}");
    assertThat(result.at("/metadata/labels").toString()).isEqualTo(json("{'app':'web','v':'2'}").toString());
    assertThat(result.at("/spec/containers/0/command").toString()).isEqualTo("[\"echo\"]");
    assertThat(result.at("/spec/containers/0/image").isMissingNode()).isTrue();
  }

  @Test
  void patchDeleteRemovesAKeyedElement() {
    JsonNode result = pod(POD, "{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}");
    assertThat(result.at("/spec/containers")).hasSize(1);
    assertThat(result.at("/spec/containers/0/name").asText()).isEqualTo("b");
  }

  @Test
  void patchReplaceReplacesAMapOrAList() {
    JsonNode map = pod(POD, "{'metadata':{'labels':{'$patch':'replace','only':'this'}}}");
    assertThat(map.at("/metadata/labels").toString()).isEqualTo(json("{'only':'this'}").toString());
    JsonNode list = pod(POD, "{'spec':{'containers':[{'$patch':'replace'},{'name':'z','image':'z:1'}]}}");
    assertThat(list.at("/spec/containers").toString()).isEqualTo(json("[{'name':'z','image':'z:1'}]").toString());
  }

  @Test
  void setElementOrderPutsTheListedElementsFirst() {
    JsonNode result = pod(POD, "{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],"
        + "'containers':[{'name':'a','image':'a:2'}]}}");
    assertThat(result.at("/spec/containers/0/name").asText()).isEqualTo("b");
    assertThat(result.at("/spec/containers/1/image").asText()).isEqualTo("a:2");
    assertThat(result.at("/spec").has("$setElementOrder/containers")).isFalse();
  }

  @Test
  void finalizersMergeAsASetAndDeleteFromPrimitiveListRemoves() {
    JsonNode merged = pod(POD, "{'metadata':{'finalizers':['b','c']}}");
    assertThat(merged.at("/metadata/finalizers").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
    JsonNode removed = pod(POD, "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}");
    assertThat(removed.at("/metadata/finalizers").toString()).isEqualTo("[\"b\"]");
  }

  @Test
  void retainKeysDropsTheOtherKeysOfTheMap() {
    String deployment = "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%'}}}}";
    JsonNode result = StrategicMergePatch.apply((ObjectNode) json(deployment),
        json("{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}"), Deployment.getDescriptor());
    assertThat(result.at("/spec/strategy").toString()).isEqualTo(json("{'type':'Recreate'}").toString());
  }

  @Test
  void theOriginalIsNotModified() {
    ObjectNode original = (ObjectNode) json(POD);
    String before = original.toString();
    StrategicMergePatch.apply(original, json("{'spec':{'containers':[{'name':'a','image':'x'}]}}"),
        Pod.getDescriptor());
    assertThat(original.toString()).isEqualTo(before);
  }

  @Test
  void aKeyedElementWithoutItsKeyIsRefused() {
    assertThatThrownBy(() -> pod(POD, "{'spec':{'containers':[{'image':'x'}]}}"))
        .isInstanceOf(PatchException.class).hasMessageContaining("merge key: name");
    assertThatThrownBy(() -> pod(POD, "[]")).isInstanceOf(PatchException.class);
  }
}
