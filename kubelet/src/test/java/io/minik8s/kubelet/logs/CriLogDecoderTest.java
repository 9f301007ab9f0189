package io.minik8s.kubelet.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CriLogDecoderTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesTheFieldsOfARecord() {
    CriLogDecoder.Record r = CriLogDecoder.parse("2026-11-27T12:00:00.123456789Z stderr F oops: it broke");
    assertThat(r.time()).isEqualTo(Instant.parse("2026-11-27T12:00:00.123456789Z"));
    assertThat(r.stream()).isEqualTo("stderr");
    assertThat(r.partial()).isFalse();
    assertThat(r.text()).isEqualTo("oops: it broke");
    assertThat(CriLogDecoder.parse("2026-11-27T12:00:00Z stdout F ").text()).isEmpty();
    assertThat(CriLogDecoder.parse("2026-11-27T12:00:00Z stdout P:x part").partial()).isTrue();
    assertThat(CriLogDecoder.parse("not a record")).isNull();
    assertThat(CriLogDecoder.parse("2026-11-27T12:00:00Z stdin F x")).isNull();
  }

  @Test
  void joinsPartialRecordsPerStream() {
    CriLogDecoder d = new CriLogDecoder();
    List<LogEntry> out = d.feed(bytes("""
        2026-11-27T12:00:00Z stdout P hello\s
        2026-11-27T12:00:01Z stderr F interleaved
        2026-11-27T12:00:02Z stdout P big\s
        2026-11-27T12:00:03Z stdout F world
        """));
    assertThat(out).extracting(LogEntry::stream, LogEntry::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("stderr", "interleaved"),
            org.assertj.core.groups.Tuple.tuple("stdout", "hello big world"));
    assertThat(out.get(1).time()).isEqualTo(Instant.parse("2026-11-27T12:00:00Z"));
  }

  @Test
  void keepsAnUnfinishedLineUntilItsEndArrivesEvenSplitInsideAMultiByteCharacter() {
    CriLogDecoder d = new CriLogDecoder();
    byte[] all = bytes("2026-11-27T12:00:00Z stdout F grüße\n2026-11-27T12:00:01Z stdout F two\n");
    List<LogEntry> out = new ArrayList<>();
    for (int i = 0; i < all.length; i += 7) {
      out.addAll(d.feed(all, i, Math.min(7, all.length - i)));
    }
    assertThat(out).extracting(LogEntry::text).containsExactly("grüße", "two");
    assertThat(d.feed(bytes("2026-11-27T12:00:02Z stdout F no newline yet"))).isEmpty();
    assertThat(d.feed(bytes("\n"))).extracting(LogEntry::text).containsExactly("no newline yet");
  }

  @Test
  void passesAMalformedLineThroughRatherThanLoseIt() {
    assertThat(new CriLogDecoder().feed(bytes("garbage\n"))).extracting(LogEntry::text).containsExactly("garbage");
  }

  @Test
  void rendersWithOrWithoutTheTime() {
    LogEntry e = new LogEntry(Instant.parse("2026-11-27T12:00:00.5Z"), "stdout", "hi");
    assertThat(e.render(false)).isEqualTo("hi\n");
    assertThat(e.render(true)).isEqualTo("2026-11-27T12:00:00.500Z hi\n");
  }
}
