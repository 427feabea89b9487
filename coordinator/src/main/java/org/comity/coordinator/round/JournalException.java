package org.comity.coordinator.round;

/** The run journal could not make a record durable; the run must not go on as if it had. */
public final class JournalException extends RuntimeException {
  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
