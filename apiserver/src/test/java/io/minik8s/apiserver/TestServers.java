package io.minik8s.apiserver;

import io.minik8s.client.api.ApiClient;
import io.minik8s.testkit.EtcdProcess;
import java.time.Duration;

/** An API server in the test's JVM on ephemeral ports, against a real etcd, with a client to it. */
final class TestServers {
  private TestServers() {}

  static ApiServer start(EtcdProcess etcd) throws Exception {
    return startOnPort(etcd, 0);
  }

  /** An API server on the given gRPC port (0: any), e.g. to bring one back where clients expect it. */
  static ApiServer startOnPort(EtcdProcess etcd, int port) throws Exception {
    return ApiServer.start(new ApiServer.Config(etcd.endpoint(), "127.0.0.1", port, Duration.ofSeconds(3),
        Duration.ofSeconds(1), "127.0.0.1", 0));
  }

  static ApiClient client(ApiServer server) {
    return ApiClient.connect("127.0.0.1:" + server.port());
  }
}
