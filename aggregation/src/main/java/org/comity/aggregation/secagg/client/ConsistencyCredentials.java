package org.comity.aggregation.secagg.client;

import org.comity.aggregation.secagg.ConsistencySigner;
import org.comity.aggregation.secagg.ConsistencyVerifier;

/** What a bank needs for the consistency check: its own signer and a verifier of the other members' signatures. */
record ConsistencyCredentials(ConsistencySigner signer, ConsistencyVerifier verifier) {
  ConsistencyCredentials {
    if (signer == null || verifier == null) {
      throw new IllegalArgumentException("the consistency check needs both a signer and a verifier");
    }
  }

  @Override
  public String toString() {
    return "ConsistencyCredentials[<redacted>]";
  }
}
