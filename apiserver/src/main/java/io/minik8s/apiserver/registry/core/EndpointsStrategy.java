package io.minik8s.apiserver.registry.core;

import io.minik8s.client.validation.NameRules;
import io.minik8s.api.EndpointAddress;
import io.minik8s.api.EndpointPort;
import io.minik8s.api.EndpointSubset;
import io.minik8s.api.Endpoints;
import io.minik8s.apiserver.registry.ResourceStrategy;
import io.minik8s.apiserver.validation.FieldErrors;
import io.minik8s.apiserver.validation.FieldPath;
import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.List;

public final class EndpointsStrategy implements ResourceStrategy<Endpoints> {
  @Override
  public Kind<Endpoints> kind() {
    return Kinds.ENDPOINTS;
  }

  @Override
  public Endpoints applyDefaults(Endpoints ep) {
    Endpoints.Builder b = ep.toBuilder();
    for (int i = 0; i < b.getSubsetsCount(); i++) {
      EndpointSubset.Builder s = b.getSubsets(i).toBuilder();
      for (int j = 0; j < s.getPortsCount(); j++) {
        if (s.getPorts(j).getProtocol().isEmpty()) {
          s.setPorts(j, s.getPorts(j).toBuilder().setProtocol("TCP"));
        }
      }
      b.setSubsets(i, s);
    }
    return b.build();
  }

  @Override
  public void validate(Endpoints ep, FieldErrors errs) {
    for (int i = 0; i < ep.getSubsetsCount(); i++) {
      EndpointSubset s = ep.getSubsets(i);
      FieldPath sp = FieldPath.root("subsets").index(i);
      addresses(s.getAddressesList(), sp.child("addresses"), errs);
      addresses(s.getNotReadyAddressesList(), sp.child("notReadyAddresses"), errs);
      for (int j = 0; j < s.getPortsCount(); j++) {
        EndpointPort p = s.getPorts(j);
        errs.invalidIfAny(sp.child("ports").index(j).child("port"), p.getPort(), NameRules.portNumber(p.getPort()));
      }
    }
  }

  private static void addresses(List<EndpointAddress> addresses, FieldPath p, FieldErrors errs) {
    for (int k = 0; k < addresses.size(); k++) {
      errs.invalidIfAny(p.index(k).child("ip"), addresses.get(k).getIp(), NameRules.ip(addresses.get(k).getIp()));
    }
  }
}
