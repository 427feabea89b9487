package org.comity.aggregation.secagg;

/** A message from a bank to the coordinator; {@link #sender()} must equal the authenticated bank id. */
public sealed interface ClientMessage extends SecAggMessage
    permits AdvertiseKeys, EncryptedShares, MaskedInput, ConsistencyCheckResponse, UnmaskResponse {
  String sender();
}
