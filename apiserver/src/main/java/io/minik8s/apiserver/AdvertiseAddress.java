package io.minik8s.apiserver;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** The address other hosts reach this API server at, when {@code --advertise-address} is not given. */
final class AdvertiseAddress {
  private AdvertiseAddress() {}

  /** The first IPv4 address of an interface that is up and not loopback; 127.0.0.1 when there is none. */
  static String firstNonLoopbackIpv4() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
            return a.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // fall through: no usable interface list
    }
    return "127.0.0.1";
  }
}
