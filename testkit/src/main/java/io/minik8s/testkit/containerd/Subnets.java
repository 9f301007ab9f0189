package io.minik8s.testkit.containerd;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Pod subnets for private containerds, one owner at a time across all JVMs on the machine.
 *
 * <p>Ownership is an OS file lock on {@code /var/tmp/minik8s-locks/subnet-<cidr>.lock}, held as long
 * as the {@link Lease} is open; the OS drops it when its JVM dies, so a crashed test never blocks a
 * subnet, and whoever takes the subnet next may clean up what the dead owner left behind.
 */
final class Subnets {
  static final Path LOCK_DIR = Path.of("/var/tmp/minik8s-locks");

  private Subnets() {
  }

  /** An owned subnet. */
  static final class Lease implements AutoCloseable {
    private final String cidr;
    private final FileChannel channel;
    private final FileLock lock;

    private Lease(String cidr, FileChannel channel, FileLock lock) {
      this.cidr = cidr;
      this.channel = channel;
      this.lock = lock;
    }

    String cidr() {
      return cidr;
    }

    @Override
    public void close() {
      try {
        lock.release();
        channel.close();
      } catch (IOException ignored) {
        // closing the channel releases the lock in any case
      }
    }
  }

  /** The subnet if no other owner holds it (in this JVM or another). */
  static Optional<Lease> tryAcquire(String cidr) {
    try {
      Files.createDirectories(LOCK_DIR);
      FileChannel channel = FileChannel.open(LOCK_DIR.resolve("subnet-" + cidr.replace('/', '_') + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldHere) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      return Optional.of(new Lease(cidr, channel, lock));
    } catch (IOException e) {
      throw new IllegalStateException("cannot lock subnet " + cidr + " under " + LOCK_DIR, e);
    }
  }

  /** Whether the IPv4 address lies in the CIDR. */
  static boolean contains(String cidr, String address) {
    String[] parts = cidr.split("/");
    int prefix = Integer.parseInt(parts[1]);
    int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
    return (ipv4(parts[0]) & mask) == (ipv4(address) & mask);
  }

  static int ipv4(String dotted) {
    String[] octets = dotted.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + dotted);
    }
    int value = 0;
    for (String o : octets) {
      value = (value << 8) | Integer.parseInt(o);
    }
    return value;
  }
}
