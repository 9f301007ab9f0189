package io.minik8s.controllermanager.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IpAllocatorTest {
  private final IpAllocator allocator = new IpAllocator(IpPool.parse("10.0.0.1-10.0.0.3"));

  @Test
  void allocatesTheLowestFreeAddressAndGivesAHolderItsOwnAgain() {
    assertThat(allocator.allocate("ns/a")).hasValue("10.0.0.1");
    assertThat(allocator.allocate("ns/b")).hasValue("10.0.0.2");
    assertThat(allocator.allocate("ns/a")).as("already held").hasValue("10.0.0.1");
    assertThat(allocator.allocate("ns/c")).hasValue("10.0.0.3");
    assertThat(allocator.allocate("ns/d")).as("exhausted").isEmpty();
    assertThat(allocator.allocatedCount()).isEqualTo(3);

    assertThat(allocator.release("ns/b")).containsExactly("10.0.0.2");
    assertThat(allocator.release("ns/b")).isEmpty();
    assertThat(allocator.allocate("ns/d")).hasValue("10.0.0.2");
  }

  @Test
  void claimsSucceedForFreeOrOwnAddressesAndNameTheOtherHolder() {
    assertThat(allocator.claim("ns/a", "10.0.0.2")).isEmpty();
    assertThat(allocator.claim("ns/a", "10.0.0.2")).isEmpty();
    assertThat(allocator.claim("ns/b", "10.0.0.2")).hasValue("ns/a");
    assertThat(allocator.holderOf("10.0.0.2")).hasValue("ns/a");
    assertThat(allocator.allocate("ns/b")).hasValue("10.0.0.1");
    assertThatThrownBy(() -> allocator.claim("ns/a", "10.0.0.9")).hasMessageContaining("not in the pool");
  }

  @Test
  void aHolderMovingToAnotherAddressFreesTheOldOneOnlyWhenAsked() {
    allocator.claim("ns/a", "10.0.0.1");
    allocator.claim("ns/a", "10.0.0.3");
    assertThat(allocator.allocate("ns/a")).as("the lowest it holds").hasValue("10.0.0.1");
    assertThat(allocator.holderOf("10.0.0.1")).hasValue("ns/a");

    assertThat(allocator.releaseAllExcept("ns/a", "10.0.0.3")).containsExactly("10.0.0.1");
    assertThat(allocator.holderOf("10.0.0.1")).isEmpty();
    assertThat(allocator.holderOf("10.0.0.3")).hasValue("ns/a");
  }

  @Test
  void concurrentAllocationsNeverShareAnAddressAndFillThePoolFromTheBottom() throws Exception {
    IpAllocator big = new IpAllocator(IpPool.parse("10.1.0.0/24"));
    int holders = 200;
    Set<String> given = ConcurrentHashMap.newKeySet();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int first = t;
        done.add(threads.submit(() -> {
          go.await();
          for (int i = first; i < holders; i += 8) {
            String ip = big.allocate("ns/s" + i).orElseThrow();
            assertThat(given.add(ip)).as("handed out twice: " + ip).isTrue();
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(given).hasSize(holders);
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= holders; i++) {
      expected.add("10.1.0." + i);
    }
    assertThat(given).containsExactlyInAnyOrderElementsOf(expected);
  }
}
