package org.comity.aggregation.secagg;

/** Coordinator → banks: the round was abandoned; banks discard their round secrets. */
public record RoundAborted(long roundId, AbortReason reason, String detail) implements ServerMessage {}
