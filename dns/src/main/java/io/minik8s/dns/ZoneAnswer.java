package io.minik8s.dns;

import io.netty.handler.codec.dns.DnsRecord;
import java.util.List;

/** What the cluster zone says about a question. */
sealed interface ZoneAnswer {

  /** A name in the zone: these answer (and additional) records; both empty means "no data of this type". */
  record Found(List<DnsRecord> answers, List<DnsRecord> additionals) implements ZoneAnswer {}

  /** A name in the zone that does not exist. */
  record NxDomain() implements ZoneAnswer {}

  /** Not a name of the zone: ask the upstream resolvers. */
  record NotInZone() implements ZoneAnswer {}
}
