/**
 * Test support that starts real things instead of faking them.
 *
 * <ul>
 *   <li>{@link io.minik8s.testkit.EtcdProcess}: a real {@code /usr/bin/etcd} on free loopback ports
 *       with its own data directory; can be stopped, killed, restarted on the same data, and compacted.
 *   <li>{@link io.minik8s.testkit.WithEtcd} / {@link io.minik8s.testkit.EtcdExtension}: one such etcd
 *       per test class, injected as a parameter.
 *   <li>{@link io.minik8s.testkit.ProcessRunner}: any command or {@code java -jar} as a child process,
 *       output captured to a file, with waits on a log line or an HTTP 200 (end-to-end tests).
 *   <li>{@link io.minik8s.testkit.FreePorts} and {@link io.minik8s.testkit.TestLogs}: ports and log files.
 * </ul>
 *
 * <p>Every wait here is a condition polled until a deadline, never a fixed sleep; every failure
 * message carries the tail of the process's log.
 */
package io.minik8s.testkit;
