package org.comity.coordinator.audit;

/** The audit trail could not be written, read or its key loaded; the message names what and where. */
public final class AuditException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AuditException(String message, Throwable cause) {
    super(message, cause);
  }
}
