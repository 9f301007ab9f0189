package io.minik8s.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EtcdProcessTest {

  @Test
  void keepsItsDataAcrossStopKillAndStartThenDeletesItOnClose() {
    Path dataDir;
    try (EtcdProcess etcd = EtcdProcess.started()) {
      dataDir = etcd.dataDir();
      assertThat(etcd.healthy()).isTrue();
      assertThat(etcd.endpoint()).isEqualTo("http://127.0.0.1:" + etcd.clientPort());
      etcd.etcdctl("put", "/k", "v1");
      long revision = etcd.revision();

      etcd.stop();
      assertThat(etcd.isRunning()).isFalse();
      assertThat(etcd.healthy()).isFalse();
      etcd.start();
      assertThat(etcd.etcdctl("get", "/k", "--print-value-only").trim()).isEqualTo("v1");

      etcd.kill();
      assertThat(etcd.isRunning()).isFalse();
      etcd.start();
      assertThat(etcd.revision()).isEqualTo(revision);

      etcd.etcdctl("put", "/k", "v2");
      etcd.compact(etcd.revision());
      assertThatThrownBy(() -> etcd.etcdctl("get", "/k", "--rev", Long.toString(revision)))
          .hasMessageContaining("compacted");
      assertThat(Files.readString(etcd.logFile())).contains(etcd.name());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(dataDir).doesNotExist();
  }
}
