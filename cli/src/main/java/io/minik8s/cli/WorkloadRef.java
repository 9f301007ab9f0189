package io.minik8s.cli;

import io.minik8s.client.api.Kind;
import io.minik8s.client.api.Kinds;
import java.util.List;

/**
 * A workload named on the command line as kubectl takes it: {@code deployment/web}, {@code deploy/web}
 * or two words {@code deploy web}; only the kinds a command supports are accepted.
 */
record WorkloadRef(Kind<?> kind, String name) {
  static WorkloadRef parse(List<String> words, List<Kind<?>> supported) {
    String kindName;
    String name;
    if (words.size() == 1 && words.get(0).contains("/")) {
      kindName = words.get(0).substring(0, words.get(0).indexOf('/'));
      name = words.get(0).substring(words.get(0).indexOf('/') + 1);
    } else if (words.size() == 2) {
      kindName = words.get(0);
      name = words.get(1);
    } else {
      throw new UsageException("expected TYPE/NAME or TYPE NAME, e.g. deployment/web");
    }
    Kind<?> kind = KindNames.resolve(kindName);
    if (!supported.contains(kind)) {
      throw new UsageException("no " + kind.resource() + " support here; supported: "
          + supported.stream().map(Kind::resource).toList());
    }
    if (name.isEmpty()) {
      throw new UsageException("a resource name is required");
    }
    return new WorkloadRef(kind, name);
  }

  String slashed() {
    return new ResourceRef(kind, name).slashed();
  }

  static final List<Kind<?>> SCALABLE = List.of(Kinds.DEPLOYMENT, Kinds.REPLICA_SET);
  static final List<Kind<?>> DEPLOYMENTS = List.of(Kinds.DEPLOYMENT);
}
