package io.minik8s.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minik8s.api.Pod;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventWindowTest {

  @Test
  void answersEveryChangeAfterARevisionAndForgetsTheOldestWhenFull() {
    EventWindow window = new EventWindow(3);
    window.reset(10);
    assertThat(revisions(window, 10)).isEmpty();
    window.add(change(12));
    window.add(change(15));
    assertThat(revisions(window, 10)).containsExactly(12L, 15L);
    assertThat(revisions(window, 12)).containsExactly(15L);
    assertThat(revisions(window, 13)).containsExactly(15L);

    window.add(change(16));
    window.add(change(20)); // evicts 12: changes after 12 are still all here
    assertThat(window.startRevision()).isEqualTo(12);
    assertThat(revisions(window, 12)).containsExactly(15L, 16L, 20L);
    assertThat(revisions(window, 16)).containsExactly(20L);
    assertThat(revisions(window, 20)).isEmpty();
    assertThatThrownBy(() -> window.after(11)).isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Long> revisions(EventWindow window, long after) {
    return window.after(after).stream().map(CachedChange::revision).collect(Collectors.toList());
  }

  private static CachedChange change(long revision) {
    return new CachedChange("/k" + revision, revision, Pod.getDefaultInstance(), null, false);
  }
}
