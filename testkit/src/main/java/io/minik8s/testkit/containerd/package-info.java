/**
 * A real, private containerd for tests: {@link io.minik8s.testkit.containerd.ContainerdProcess}.
 *
 * <p>Input: a pod subnet (or none, for the first free one from 10.244.123.0/24 up). Output: a running
 * containerd with the CRI plugin on its own unix socket, its own root, state, CNI config (a bridge
 * named {@code m8st<random>}) and IPAM data under one temporary directory, with the local images
 * {@code localhost/busybox:latest} and {@code localhost/pause:latest} loaded (built once per machine
 * into {@code /var/tmp/minik8s-images} by {@code deploy/images/build.sh}).
 *
 * <p>It never touches the system's containerd ({@code /run/containerd/containerd.sock}, {@code
 * /var/lib/containerd}); the one shared location is {@code /run/containerd/s/}, where containerd 1.6
 * always puts its shims' sockets (named by a hash that includes our socket path, so they never
 * collide). Closing removes every pod it ran (through the CRI, so CNI releases addresses and
 * iptables rules), the bridge, leftover mounts and shims, and the directory. A JVM that died without
 * closing is cleaned up by the next one that takes the same subnet.
 */
package io.minik8s.testkit.containerd;
