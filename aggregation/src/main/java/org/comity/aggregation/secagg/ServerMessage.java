package org.comity.aggregation.secagg;

/** A message from the coordinator to one bank. */
public sealed interface ServerMessage extends SecAggMessage
    permits KeyDirectory, ShareDelivery, ConsistencyCheckRequest, UnmaskRequest, RoundAborted {}
