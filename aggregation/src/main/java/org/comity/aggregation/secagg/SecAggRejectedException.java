package org.comity.aggregation.secagg;

/**
 * A message was refused; the protocol state is exactly as before the call. The message text names
 * ids, stages and sizes only, never key or share bytes. Map to gRPC: WRONG_STAGE → FAILED_PRECONDITION,
 * NOT_A_PARTICIPANT / SENDER_MISMATCH → PERMISSION_DENIED, WRONG_SIZE → INVALID_ARGUMENT (or
 * RESOURCE_EXHAUSTED for oversize), DUPLICATE → ALREADY_EXISTS, others → INVALID_ARGUMENT.
 */
public final class SecAggRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final RejectionReason reason;

  public SecAggRejectedException(RejectionReason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public RejectionReason reason() {
    return reason;
  }
}
