package io.minik8s.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minik8s.apiserver.ApiServer;
import io.minik8s.testkit.EtcdProcess;
import io.minik8s.testkit.WithEtcd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kubernetes' REST API of a real API server on a real etcd, spoken with java.net.http as kubectl speaks it. */
@WithEtcd
class RestApiIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  private static ApiServer server;
  private static HttpClient http;
  private static String base;

  @BeforeAll
  static void start(EtcdProcess etcd) throws Exception {
    server = ApiServer.start(new ApiServer.Config(etcd.endpoint(), "127.0.0.1", 0, Duration.ofSeconds(3),
        Duration.ofSeconds(1), "127.0.0.1", 0)
        .withRest(new RestServer.Config("127.0.0.1", 0, "", "", ApiServer.REST_GIT_VERSION)));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    base = "http://127.0.0.1:" + server.restPort();
  }

  @AfterAll
  static void stop() {
    server.lifecycle().shutdown("test done");
  }

  record Response(int status, JsonNode body) {}

  private static Response call(String method, String path, String body, String contentType, String accept) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("Accept", accept)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Response get(String path) {
    return call("GET", path, null, null, "application/json");
  }

  private static Response post(String path, String json) {
    return call("POST", path, json.replace('\'', '"'), "application/json", "application/json");
  }

  private static Response patch(String path, String type, String json) {
    return call("PATCH", path, json.replace('\'', '"'), type, "application/json");
  }

  private static String pod(String ns, String name, String labels) {
    return "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "','namespace':'" + ns + "','labels':{"
        + labels + "}},'spec':{'containers':[{'name':'c','image':'busybox'}]}}";
  }

  private static void namespace(String name) {
    assertThat(post("/api/v1/namespaces", "{'metadata':{'name':'" + name + "'}}").status()).isEqualTo(201);
  }

  @Test
  void discoveryAndVersion() {
    assertThat(get("/version").body().get("gitVersion").asText()).startsWith("v1.32.0+minik8s");
    assertThat(get("/api").body().get("versions").toString()).isEqualTo("[\"v1\"]");
    assertThat(get("/apis").body().at("/groups/0/name").asText()).isEqualTo("apps");
    assertThat(get("/apis/apps/v1").body().get("resources").toString()).contains("\"deployments/scale\"");
    Response aggregated = call("GET", "/apis", null, null, "application/json;g=apidiscovery.k8s.io;v=v2;"
        + "as=APIGroupDiscoveryList,application/json");
    assertThat(aggregated.body().get("kind").asText()).isEqualTo("APIGroupList");
    assertThat(get("/openapi/v3").body().at("/paths/apis~1apps~1v1/serverRelativeURL").asText())
        .startsWith("/openapi/v3/apis/apps/v1?hash=");
    assertThat(get("/openapi/v3/apis/apps/v1").body().toString()).contains("fieldValidation", "\"Deployment\"");
    assertThat(get("/nothing").status()).isEqualTo(404);
  }

  @Test
  void createGetAndTheErrorsOfKubernetes() {
    namespace("crud");
    Response created = post("/api/v1/namespaces/crud/pods", pod("crud", "web", "'app':'web'"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().at("/metadata/uid").asText()).isNotEmpty();
    assertThat(created.body().at("/spec/restartPolicy").asText()).isEqualTo("Always");
    assertThat(get("/api/v1/namespaces/crud/pods/web").body().at("/metadata/name").asText()).isEqualTo("web");

    Response exists = post("/api/v1/namespaces/crud/pods", pod("crud", "web", ""));
    assertThat(exists.status()).isEqualTo(409);
    assertThat(exists.body().get("kind").asText()).isEqualTo("Status");
    assertThat(exists.body().get("reason").asText()).isEqualTo("AlreadyExists");
    assertThat(exists.body().get("message").asText()).isEqualTo("pods \"web\" already exists");

    Response missing = get("/api/v1/namespaces/crud/pods/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().get("message").asText()).isEqualTo("pods \"nope\" not found");

    Response invalid = post("/api/v1/namespaces/crud/pods",
        "{'metadata':{'name':'Bad_Name'},'spec':{'containers':[{'name':'c'}]}}");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.body().get("reason").asText()).isEqualTo("Invalid");
    assertThat(invalid.body().at("/details/kind").asText()).isEqualTo("Pod");
    assertThat(invalid.body().at("/details/causes").findValuesAsText("field"))
        .contains("metadata.name", "spec.containers[0].image");

    Response unknown = post("/api/v1/namespaces/crud/pods?fieldValidation=Strict",
        "{'metadata':{'name':'u'},'spec':{'containers':[{'name':'c','image':'i','colour':'red'}]}}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().get("message").asText()).isEqualTo("Pod in version \"v1\" cannot be handled as a Pod: "
        + "strict decoding error: unknown field \"spec.containers[0].colour\"");

    Response otherNamespace = post("/api/v1/namespaces/crud/pods", pod("elsewhere", "x", ""));
    assertThat(otherNamespace.status()).isEqualTo(400);
    assertThat(call("PUT", "/api/v1/namespaces/crud/pods", "{}", "application/json", "application/json").status())
        .isEqualTo(405);
    assertThat(metrics()).contains("apiserver_rest_request_duration_seconds_count{code=\"201\",resource=\"pods\","
        + "verb=\"create\"}", "apiserver_rest_request_duration_seconds_count{code=\"404\",resource=\"pods\","
        + "verb=\"get\"}");
  }

  @Test
  void listsFilterAndPageAndCarryTheirResourceVersion() {
    namespace("lists");
    for (int i = 0; i < 5; i++) {
      post("/api/v1/namespaces/lists/pods", pod("lists", "p" + i, "'app':'" + (i % 2 == 0 ? "even" : "odd") + "'"));
    }
    Response all = get("/api/v1/namespaces/lists/pods");
    assertThat(all.body().get("kind").asText()).isEqualTo("PodList");
    assertThat(all.body().at("/metadata/resourceVersion").asLong()).isPositive();
    assertThat(all.body().get("items")).hasSize(5);
    assertThat(get("/api/v1/namespaces/lists/pods?labelSelector=app%3Deven").body().get("items")).hasSize(3);
    assertThat(get("/api/v1/pods?fieldSelector=metadata.namespace%3Dlists,metadata.name%3Dp1").body().get("items"))
        .hasSize(1);
    assertThat(get("/api/v1/pods?fieldSelector=spec.colour%3Dred").status()).isEqualTo(400);

    Response page1 = get("/api/v1/namespaces/lists/pods?limit=2");
    assertThat(page1.body().get("items")).hasSize(2);
    String token = page1.body().at("/metadata/continue").asText();
    assertThat(token).isNotEmpty();
    Response page2 = get("/api/v1/namespaces/lists/pods?limit=2&continue=" + token);
    assertThat(page2.body().at("/items/0/metadata/name").asText()).isEqualTo("p2");
  }

  @Test
  void tablesHaveKubectlsColumnsAndCells() {
    namespace("tables");
    post("/api/v1/namespaces/tables/pods", pod("tables", "t", ""));
    Response table = call("GET", "/api/v1/namespaces/tables/pods", null, null, TABLE);
    assertThat(table.body().get("kind").asText()).isEqualTo("Table");
    assertThat(table.body().get("columnDefinitions").findValuesAsText("name"))
        .startsWith("Name", "Ready", "Status", "Restarts", "Age");
    assertThat(table.body().at("/rows/0/cells").toString()).startsWith("[\"t\",\"0/1\",\"Pending\",\"0\",");
    assertThat(table.body().at("/rows/0/object/kind").asText()).isEqualTo("PartialObjectMetadata");
    Response one = call("GET", "/api/v1/namespaces/tables/pods/t?includeObject=Object", null, null, TABLE);
    assertThat(one.body().at("/rows/0/object/kind").asText()).isEqualTo("Pod");
  }

  @Test
  void updatesAreCompareAndSwapAndPatchesMergeAsKubernetesDoes() {
    namespace("writes");
    String deployment = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':1,"
        + "'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},'spec':{"
        + "'containers':[{'name':'a','image':'a:1','env':[{'name':'X','value':'1'}]},{'name':'b','image':'b:1'}]}}}}";
    Response created = post("/apis/apps/v1/namespaces/writes/deployments", deployment);
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String stale = created.body().at("/metadata/resourceVersion").asText();

    Response smp = patch("/apis/apps/v1/namespaces/writes/deployments/web", "application/strategic-merge-patch+json",
        "{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'b:2'},"
            + "{'name':'a','env':[{'name':'Y','value':'2'}]}]}}}}");
    assertThat(smp.status()).as(smp.body().toString()).isEqualTo(200);
    assertThat(smp.body().at("/spec/template/spec/containers").findValuesAsText("image")).containsExactly("a:1", "b:2");
    assertThat(smp.body().at("/spec/template/spec/containers/0/env").findValuesAsText("name"))
        .containsExactly("X", "Y");
    assertThat(smp.body().at("/metadata/generation").asLong()).isEqualTo(2);

    Response merge = patch("/apis/apps/v1/namespaces/writes/deployments/web", "application/merge-patch+json",
        "{'metadata':{'labels':{'team':'x'}}}");
    assertThat(merge.body().at("/metadata/labels/team").asText()).isEqualTo("x");
    Response jsonPatch = patch("/apis/apps/v1/namespaces/writes/deployments/web", "application/json-patch+json",
        "[{'op':'replace','path':'/spec/replicas','value':4}]");
    assertThat(jsonPatch.body().at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(patch("/apis/apps/v1/namespaces/writes/deployments/web/status", "application/apply-patch+yaml", "{}")
        .status()).isEqualTo(415);
    assertThat(patch("/apis/apps/v1/namespaces/writes/deployments/web", "application/x-unknown", "{}")
        .status()).isEqualTo(415);
    assertThat(patch("/apis/apps/v1/namespaces/writes/deployments/web", "application/json-patch+json",
        "[{'op':'test','path':'/spec/replicas','value':9}]").status()).isEqualTo(422);

    Response dryRun = patch("/apis/apps/v1/namespaces/writes/deployments/web?dryRun=All",
        "application/merge-patch+json", "{'spec':{'replicas':9}}");
    assertThat(dryRun.body().at("/spec/replicas").asInt()).isEqualTo(9);
    assertThat(dryRun.body().at("/metadata/resourceVersion").asText())
        .isEqualTo(jsonPatch.body().at("/metadata/resourceVersion").asText());
    assertThat(get("/apis/apps/v1/namespaces/writes/deployments/web").body().at("/spec/replicas").asInt()).isEqualTo(4);

    JsonNode current = jsonPatch.body();
    String staleBody = current.toString().replace("\"resourceVersion\":\"" + current.at("/metadata/resourceVersion")
        .asText() + "\"", "\"resourceVersion\":\"" + stale + "\"");
    Response conflict = call("PUT", "/apis/apps/v1/namespaces/writes/deployments/web", staleBody,
        "application/json", "application/json");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.body().get("reason").asText()).isEqualTo("Conflict");
    Response put = call("PUT", "/apis/apps/v1/namespaces/writes/deployments/web", current.toString(),
        "application/json", "application/json");
    assertThat(put.status()).isEqualTo(200);
    Response wrongName = call("PUT", "/apis/apps/v1/namespaces/writes/deployments/other", current.toString(),
        "application/json", "application/json");
    assertThat(wrongName.status()).isEqualTo(400);
  }

  @Test
  void statusAndScaleSubresources() {
    namespace("subs");
    post("/apis/apps/v1/namespaces/subs/deployments", "{'metadata':{'name':'d'},'spec':{"
        + "'selector':{'matchLabels':{'app':'d'}},'template':{'metadata':{'labels':{'app':'d'}},'spec':{"
        + "'containers':[{'name':'c','image':'i'}]}}}}");
    Response scale = get("/apis/apps/v1/namespaces/subs/deployments/d/scale");
    assertThat(scale.body().get("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(scale.body().at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(scale.body().at("/status/selector").asText()).isEqualTo("app=d");
    Response scaled = patch("/apis/apps/v1/namespaces/subs/deployments/d/scale", "application/merge-patch+json",
        "{'spec':{'replicas':3}}");
    assertThat(scaled.body().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(get("/apis/apps/v1/namespaces/subs/deployments/d").body().at("/spec/replicas").asInt()).isEqualTo(3);

    Response status = patch("/apis/apps/v1/namespaces/subs/deployments/d/status", "application/merge-patch+json",
        "{'status':{'replicas':2},'spec':{'replicas':7}}");
    assertThat(status.status()).as(status.body().toString()).isEqualTo(200);
    assertThat(status.body().at("/status/replicas").asInt()).isEqualTo(2);
    assertThat(status.body().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(get("/api/v1/namespaces/subs/pods/x/scale").status()).isEqualTo(404);
  }

  @Test
  void deletesAnswerAsKubernetesDoes() {
    namespace("deletes");
    post("/api/v1/namespaces/deletes/pods", pod("deletes", "p", ""));
    post("/apis/coordination.k8s.io/v1/namespaces/deletes/leases", "{'metadata':{'name':'l'}}");
    Response pod = call("DELETE", "/api/v1/namespaces/deletes/pods/p", "{'kind':'DeleteOptions','apiVersion':'v1',"
        .replace('\'', '"') + "\"propagationPolicy\":\"Background\"}", "application/json", "application/json");
    assertThat(pod.status()).isEqualTo(200);
    assertThat(pod.body().get("kind").asText()).isEqualTo("Pod");
    Response lease = call("DELETE", "/apis/coordination.k8s.io/v1/namespaces/deletes/leases/l", null, null,
        "application/json");
    assertThat(lease.body().get("kind").asText()).isEqualTo("Status");
    assertThat(lease.body().get("status").asText()).isEqualTo("Success");
    assertThat(lease.body().at("/details/uid").asText()).isNotEmpty();
    assertThat(call("DELETE", "/api/v1/namespaces/deletes/pods/p", null, null, "application/json").status())
        .isEqualTo(404);
    assertThat(call("DELETE", "/api/v1/namespaces/deletes/pods/p?propagationPolicy=Sideways", null, null,
        "application/json").status()).isEqualTo(400);
    Response ns = call("DELETE", "/api/v1/namespaces/deletes", null, null, "application/json");
    assertThat(ns.body().at("/status/phase").asText()).isEqualTo("Terminating");
  }

  @Test
  void deleteCollectionDeletesWhatTheSelectorsMatch() {
    namespace("sweep");
    post("/api/v1/namespaces/sweep/pods", pod("sweep", "a1", "'app':'a'"));
    post("/api/v1/namespaces/sweep/pods", pod("sweep", "a2", "'app':'a'"));
    post("/api/v1/namespaces/sweep/pods", pod("sweep", "b1", "'app':'b'"));
    post("/api/v1/namespaces/sweep/pods", pod("sweep", "c1", "'app':'c'"));

    Response dryRun = call("DELETE", "/api/v1/namespaces/sweep/pods?labelSelector=app%3Da&dryRun=All", null, null,
        "application/json");
    assertThat(dryRun.body().get("items").findValues("metadata").stream()
        .map(m -> m.get("name").asText()).toList()).containsExactly("a1", "a2");
    assertThat(get("/api/v1/namespaces/sweep/pods").body().get("items")).hasSize(4);

    Response byLabel = call("DELETE", "/api/v1/namespaces/sweep/pods?labelSelector=app%3Da", null, null,
        "application/json");
    assertThat(byLabel.status()).as(byLabel.body().toString()).isEqualTo(200);
    assertThat(byLabel.body().get("kind").asText()).isEqualTo("PodList");
    assertThat(byLabel.body().at("/metadata/resourceVersion").asText()).isNotEmpty();
    assertThat(byLabel.body().get("items").findValues("metadata").stream()
        .map(m -> m.get("name").asText()).toList()).containsExactly("a1", "a2");
    Response byField = call("DELETE", "/api/v1/namespaces/sweep/pods?fieldSelector=metadata.name%3Db1",
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0}", "application/json",
        "application/json");
    assertThat(byField.body().get("items").findValues("metadata").stream()
        .map(m -> m.get("name").asText()).toList()).containsExactly("b1");
    assertThat(get("/api/v1/namespaces/sweep/pods").body().get("items").findValues("metadata").stream()
        .map(m -> m.get("name").asText()).toList())
        .containsExactly("c1");

    assertThat(call("DELETE", "/api/v1/namespaces/sweep/pods?propagationPolicy=Sideways", null, null,
        "application/json").status()).isEqualTo(400);
    assertThat(call("DELETE", "/api/v1/namespaces/sweep/pods?labelSelector=%3D%3D", null, null,
        "application/json").status()).isEqualTo(400);
    assertThat(call("DELETE", "/api/v1/pods", null, null, "application/json").status()).isEqualTo(405);
    assertThat(call("DELETE", "/api/v1/namespaces", null, null, "application/json").status()).isEqualTo(405);
    assertThat(get("/api/v1").body().get("resources").toString())
        .contains("{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\","
            + "\"verbs\":[\"create\",\"delete\",\"deletecollection\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]")
        .contains("\"name\":\"namespaces\",\"singularName\":\"namespace\",\"namespaced\":false,"
            + "\"kind\":\"Namespace\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]");
  }

  @Test
  void serverSideApplyCreatesThenMergesWithoutFieldManagement() {
    namespace("ssa");
    String path = "/apis/apps/v1/namespaces/ssa/deployments/web?fieldManager=test";
    String manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: a
                image: a:1
              - name: b
                image: b:1
        """;
    Response created = call("PATCH", path, manifest, "application/apply-patch+yaml", "application/json");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().at("/spec/replicas").asInt()).isEqualTo(2);

    Response merged = call("PATCH", path, manifest.replace("replicas: 2", "replicas: 3").replace("b:1", "b:2")
        .replace("  labels: {app: web}\n", ""), "application/apply-patch+yaml", "application/json");
    assertThat(merged.status()).as(merged.body().toString()).isEqualTo(200);
    assertThat(merged.body().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(merged.body().at("/spec/template/spec/containers").findValuesAsText("image"))
        .containsExactly("a:1", "b:2");
    // No field management: a label left out of the configuration stays.
    assertThat(merged.body().at("/metadata/labels/app").asText()).isEqualTo("web");

    Response noManager = call("PATCH", "/apis/apps/v1/namespaces/ssa/deployments/web", manifest,
        "application/apply-patch+yaml", "application/json");
    assertThat(noManager.status()).isEqualTo(422);
    assertThat(noManager.body().get("message").asText()).contains("fieldManager: Required value");
    Response otherKind = call("PATCH", path, manifest.replace("kind: Deployment", "kind: ReplicaSet"),
        "application/apply-patch+yaml", "application/json");
    assertThat(otherKind.status()).isEqualTo(400);
    Response unknown = call("PATCH", path, manifest.replace("replicas: 2", "replicas: 2\n  colour: red"),
        "application/apply-patch+yaml", "application/json");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body().get("message").asText()).contains("strict decoding error: unknown field \"spec.colour\"");
  }

  private final List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new java.util.ArrayList<>();

  @AfterEach
  void closeStreams() {
    streams.forEach(s -> s.thenAccept(r -> r.body().close()));
  }

  /** The lines of a streaming response, read on the HTTP client's threads; closed after the test. */
  private BlockingQueue<String> stream(String path, String accept) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).build();
    CompletableFuture<HttpResponse<Stream<String>>> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    streams.add(response);
    response.thenAcceptAsync(r -> {
      try {
        r.body().forEach(lines::add);
      } catch (RuntimeException closed) {
        // closed by the test
      }
      lines.add("<end>");
    });
    return lines;
  }

  private static JsonNode next(BlockingQueue<String> lines) throws Exception {
    String line = lines.poll(10, TimeUnit.SECONDS);
    assertThat(line).as("a watch event within 10 s").isNotNull();
    return line.equals("<end>") ? null : JSON.readTree(line);
  }

  @Test
  void watchesStreamEveryChangeAfterTheListsVersion() throws Exception {
    namespace("watches");
    post("/api/v1/namespaces/watches/pods", pod("watches", "before", ""));
    String version = get("/api/v1/namespaces/watches/pods").body().at("/metadata/resourceVersion").asText();
    BlockingQueue<String> lines = stream("/api/v1/namespaces/watches/pods?watch=true&resourceVersion=" + version,
        "application/json");
    post("/api/v1/namespaces/watches/pods", pod("watches", "after", ""));
    patch("/api/v1/namespaces/watches/pods/after", "application/merge-patch+json", "{'metadata':{'labels':{'x':'y'}}}");
    call("DELETE", "/api/v1/namespaces/watches/pods/after", null, null, "application/json");
    List<String> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonNode event = next(lines);
      seen.add(event.get("type").asText() + " " + event.at("/object/metadata/name").asText());
      assertThat(event.at("/object/kind").asText()).isEqualTo("Pod");
    }
    assertThat(seen).containsExactly("ADDED after", "MODIFIED after", "DELETED after");
  }

  @Test
  void aTableWatchSendsOneRowTablesAndTimeoutSecondsEndsIt() throws Exception {
    namespace("tablewatch");
    post("/api/v1/namespaces/tablewatch/pods", pod("tablewatch", "w", ""));
    BlockingQueue<String> lines = stream("/api/v1/namespaces/tablewatch/pods?watch=1&timeoutSeconds=2", TABLE);
    JsonNode added = next(lines);
    assertThat(added.get("type").asText()).isEqualTo("ADDED");
    assertThat(added.at("/object/kind").asText()).isEqualTo("Table");
    assertThat(added.at("/object/rows/0/cells/0").asText()).isEqualTo("w");
    assertThat(next(lines)).as("the stream ends after timeoutSeconds").isNull();
  }

  @Test
  void aWatchFromACompactedVersionEndsWithAnExpiredErrorEvent(EtcdProcess etcd) throws Exception {
    namespace("expired");
    post("/api/v1/namespaces/expired/pods", pod("expired", "e", ""));
    etcd.compact(etcd.revision());
    BlockingQueue<String> lines = stream("/api/v1/namespaces/expired/pods?watch=true&resourceVersion=1",
        "application/json");
    JsonNode error = next(lines);
    assertThat(error.get("type").asText()).isEqualTo("ERROR");
    assertThat(error.at("/object/kind").asText()).isEqualTo("Status");
    assertThat(error.at("/object/code").asInt()).isEqualTo(410);
    assertThat(error.at("/object/reason").asText()).isEqualTo("Expired");
    assertThat(next(lines)).isNull();
  }

  @Test
  void podLogsAreStreamedFromTheKubeletOfThePodsNode() throws Exception {
    com.sun.net.httpserver.HttpServer kubelet =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    kubelet.createContext("/containerLogs/", exchange -> {
      asked.add(exchange.getRequestURI().toString());
      byte[] log = "line 1\nline 2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, log.length);
      exchange.getResponseBody().write(log);
      exchange.close();
    });
    kubelet.start();
    try {
      namespace("logs");
      String node = "{'metadata':{'name':'log-node'},'status':{'addresses':[{'type':'InternalIP','address':'127.0.0.1'}],"
          + "'daemonEndpoints':{'kubeletEndpoint':{'Port':" + kubelet.getAddress().getPort() + "}}}}";
      Response created = post("/api/v1/nodes", node);
      assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
      call("PUT", "/api/v1/nodes/log-node/status", node.replace('\'', '"'), "application/json", "application/json");
      post("/api/v1/namespaces/logs/pods", "{'metadata':{'name':'p'},'spec':{'nodeName':'log-node',"
          + "'containers':[{'name':'c','image':'i'}]}}");

      HttpResponse<String> log = http.send(HttpRequest.newBuilder(URI.create(base
          + "/api/v1/namespaces/logs/pods/p/log?tailLines=2&timestamps=true")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(log.statusCode()).isEqualTo(200);
      assertThat(log.headers().firstValue("Content-Type")).hasValue("text/plain");
      assertThat(log.body()).isEqualTo("line 1\nline 2\n");
      assertThat(asked).singleElement().asString().startsWith("/containerLogs/logs/p/c?")
          .contains("tailLines=2", "timestamps=true");
      Response noContainer = get("/api/v1/namespaces/logs/pods/p/log?container=nope");
      assertThat(noContainer.status()).isEqualTo(400);
      assertThat(noContainer.body().get("message").asText()).isEqualTo("container nope is not valid for pod p");
      assertThat(get("/api/v1/namespaces/logs/pods/p/log?sinceSeconds=10").status()).isEqualTo(400);
    } finally {
      kubelet.stop(0);
    }
  }

  @Test
  void execRunsTheCommandThroughTheKubeletAndAnswersOnChannels() throws Exception {
    com.sun.net.httpserver.HttpServer kubelet =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    kubelet.createContext("/exec/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body);
      if (body.contains("gone")) { // the kubelet's answer when the container is not on its node
        byte[] missing = "{\"message\":\"container \\\"c\\\" in pod \\\"p\\\" not found on this node\"}".getBytes();
        exchange.sendResponseHeaders(404, missing.length);
        exchange.getResponseBody().write(missing);
        exchange.close();
        return;
      }
      byte[] answer = ("{\"exitCode\":" + (body.contains("fail") ? 3 : 0) + ",\"stdout\":\""
          + java.util.Base64.getEncoder().encodeToString("out\n".getBytes()) + "\",\"stderr\":\""
          + java.util.Base64.getEncoder().encodeToString("err\n".getBytes()) + "\"}").getBytes();
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    kubelet.start();
    try {
      namespace("exec");
      String node = "{'metadata':{'name':'exec-node'},'status':{'addresses':[{'type':'InternalIP','address':"
          + "'127.0.0.1'}],'daemonEndpoints':{'kubeletEndpoint':{'Port':" + kubelet.getAddress().getPort() + "}}}}";
      post("/api/v1/nodes", node);
      call("PUT", "/api/v1/nodes/exec-node/status", node.replace('\'', '"'), "application/json", "application/json");
      post("/api/v1/namespaces/exec/pods", "{'metadata':{'name':'p'},'spec':{'nodeName':'exec-node',"
          + "'containers':[{'name':'c','image':'i'}]}}");

      List<String> ok = exec("/api/v1/namespaces/exec/pods/p/exec?command=echo&command=hi&stdout=true&stderr=true");
      assertThat(ok).containsExactly("1:out\n", "2:err\n", "3:{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"metadata\":{},\"status\":\"Success\"}");
      assertThat(asked).singleElement().asString().isEqualTo("POST /exec/exec/p/c "
          + "{\"command\":[\"echo\",\"hi\"],\"timeoutSeconds\":300}");
      List<String> failed = exec("/api/v1/namespaces/exec/pods/p/exec?command=fail&stdout=true");
      assertThat(failed).hasSize(2);
      JsonNode status = JSON.readTree(failed.get(1).substring(2));
      assertThat(status.get("reason").asText()).isEqualTo("NonZeroExitCode");
      assertThat(status.at("/details/causes/0").toString()).isEqualTo("{\"reason\":\"ExitCode\",\"message\":\"3\"}");

      List<String> gone = exec("/api/v1/namespaces/exec/pods/p/exec?command=gone&stdout=true");
      JsonNode notFound = JSON.readTree(gone.get(gone.size() - 1).substring(2));
      assertThat(notFound.get("reason").asText()).isEqualTo("NotFound");
      assertThat(notFound.get("message").asText()).isEqualTo("container \"c\" in pod \"p\" not found on this node");

      Response interactive = get("/api/v1/namespaces/exec/pods/p/exec?command=sh&stdin=true&tty=true");
      assertThat(interactive.status()).isEqualTo(400);
      assertThat(interactive.body().get("message").asText()).contains("no standard input and no terminal");
      assertThat(get("/api/v1/namespaces/exec/pods/p/exec?command=ls").body().get("message").asText())
          .isEqualTo("Upgrade request required");
    } finally {
      kubelet.stop(0);
    }
  }

  /** Opens an exec WebSocket as kubectl does and returns its messages as "channel:text", until it closes. */
  private static List<String> exec(String path) throws Exception {
    List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    java.net.http.WebSocket socket = http.newWebSocketBuilder()
        .subprotocols("v5.channel.k8s.io", "v4.channel.k8s.io")
        .buildAsync(URI.create(base.replace("http:", "ws:") + path), new java.net.http.WebSocket.Listener() {
          private final java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();

          @Override
          public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket ws, java.nio.ByteBuffer data,
              boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            message.write(bytes, 0, bytes.length);
            if (last) {
              byte[] whole = message.toByteArray();
              message.reset();
              messages.add(whole[0] + ":" + new String(whole, 1, whole.length - 1,
                  java.nio.charset.StandardCharsets.UTF_8));
            }
            ws.request(1);
            return null;
          }

          @Override
          public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
            closed.complete(null);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    assertThat(socket.getSubprotocol()).isEqualTo("v5.channel.k8s.io");
    closed.get(10, TimeUnit.SECONDS);
    return messages;
  }

  @Test
  void aWatchWithABadSelectorIsAnOrdinaryError() {
    assertThat(get("/api/v1/pods?watch=true&labelSelector=a%20in").status()).isEqualTo(400);
  }

  @Test
  void aBooleanParameterThatIsNoBooleanIsABadRequestNotAList() {
    Response r = get("/api/v1/pods?watch=yes");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().path("reason").asText()).isEqualTo("BadRequest");
    assertThat(r.body().path("message").asText()).contains("watch: invalid value \"yes\"");
  }

  @Test
  void aWatchThatTheClientLeavesIsClosedOnTheServer() {
    int before = watchers();
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/pods?watch=true")).build();
    CompletableFuture<HttpResponse<Stream<String>>> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    await().atMost(Duration.ofSeconds(10)).until(() -> watchers() > before);
    response.join().body().close();
    await().atMost(Duration.ofSeconds(10)).until(() -> watchers() == before);
  }

  private static int watchers() {
    return metrics().lines().filter(l -> l.startsWith("apiserver_registered_watchers "))
        .map(l -> (int) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(0);
  }

  private static String metrics() {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.healthPort() + "/metrics"))
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
