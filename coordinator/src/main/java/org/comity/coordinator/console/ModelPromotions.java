package org.comity.coordinator.console;

import java.util.List;
import java.util.Optional;

/**
 * Which committed model version is promoted for serving, and the history of changes. The console calls it for
 * {@code POST /api/v1/models/{version}/promote} and {@code POST /api/v1/models/rollback}; it writes the audit entry
 * itself, so implementations only keep the state.
 *
 * <p>The in-memory {@link InMemoryModelPromotions} is the default; the persistent model catalog implements the
 * same interface.
 */
public interface ModelPromotions {
  /**
   * Promotes {@code version}.
   *
   * @throws UnknownVersionException if no committed version has that number; nothing changes
   */
  Promotion promote(long version, String actor, String reason);

  /**
   * Restores the version that was promoted before the current one.
   *
   * @throws NothingToRollBackException if fewer than two versions were ever promoted in turn; nothing changes
   */
  Promotion rollback(String actor, String reason);

  /** The promoted version, if any was. */
  Optional<Long> promotedVersion();

  /** Every change, oldest first. */
  List<Promotion> history();

  /** The version asked for does not exist. */
  final class UnknownVersionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownVersionException(String message) {
      super(message);
    }
  }

  /** The store refused the change (for example: the version is already the promoted one); nothing changed. */
  final class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
      super(message);
    }
  }

  /** There is no earlier promoted version to return to. */
  final class NothingToRollBackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NothingToRollBackException(String message) {
      super(message);
    }
  }
}
