package org.comity.coordinator.console;

/**
 * Appends to the audit trail. The console writes every admin action through it, with the operator token's name as
 * the actor, before it answers the request: an action whose entry cannot be written fails.
 *
 * <p>The in-memory {@link InMemoryAuditTrail} is the default; the database-backed, hash-chained signed trail
 * implements the same interface.
 */
public interface AuditWriter {
  /**
   * Records one action and returns the stored entry.
   *
   * @param detailsJson a JSON object (e.g. {@code {"reason":"...","previous":6}}); never a secret
   * @throws IllegalArgumentException if an argument is blank or the details are not a JSON object
   * @throws IllegalStateException if the entry cannot be stored (the caller reports the action as failed)
   */
  AuditEntry append(String actor, String action, String subject, String detailsJson);
}
