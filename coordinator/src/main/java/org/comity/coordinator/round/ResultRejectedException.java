package org.comity.coordinator.round;

/**
 * A submitted result that the engine refused; the engine's state is unchanged. The RPC layer maps the kind to a
 * gRPC status.
 */
public final class ResultRejectedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why, in the gRPC status litmus-test sense. */
  public enum Kind {
    /** The result is malformed; resending it will not help. */
    INVALID_ARGUMENT,
    /** The task is not open (round closed, already answered, not this member's). */
    FAILED_PRECONDITION
  }

  private final Kind kind;
  private final String reasonCode;

  public ResultRejectedException(Kind kind, String reasonCode, String message) {
    super(message);
    this.kind = kind;
    this.reasonCode = reasonCode;
  }

  public Kind kind() {
    return kind;
  }

  /** Short stable code for metrics, e.g. {@code wrong_length}. */
  public String reasonCode() {
    return reasonCode;
  }
}
