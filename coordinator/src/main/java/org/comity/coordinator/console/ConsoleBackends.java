package org.comity.coordinator.console;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.comity.coordinator.model.ModelRegistry;
import org.comity.coordinator.pki.EnrolledMember;

/**
 * What the console reads and writes besides the running coordinator: the operator tokens, the model catalog's
 * promotions, the audit trail and the PKI roster. Bind the database-backed catalog and trail here.
 *
 * @param tokens who may call the console
 * @param promotions which model version is promoted
 * @param auditWriter where admin actions are recorded
 * @param auditReader what {@code GET /api/v1/audit} shows
 * @param roster the enrolled members with their certificates (re-read on each call; empty without a PKI)
 * @param runs the store's runs, or {@code null} without a store (only the served run is listed)
 */
public record ConsoleBackends(OperatorTokens tokens, ModelPromotions promotions, AuditWriter auditWriter,
    AuditReader auditReader, Supplier<List<EnrolledMember>> roster, RunHistory runs) {
  public ConsoleBackends {
    if (tokens == null || promotions == null || auditWriter == null || auditReader == null || roster == null) {
      throw new IllegalArgumentException("every console backend is required (use the in-memory ones by default)");
    }
  }

  /** Backends without a store's run history: the console then lists only the run it serves. */
  public ConsoleBackends(OperatorTokens tokens, ModelPromotions promotions, AuditWriter auditWriter,
      AuditReader auditReader, Supplier<List<EnrolledMember>> roster) {
    this(tokens, promotions, auditWriter, auditReader, roster, null);
  }

  /** In-memory promotions and audit trail over {@code models}, no roster. */
  public static ConsoleBackends inMemory(OperatorTokens tokens, ModelRegistry models, Clock clock) {
    InMemoryAuditTrail audit = new InMemoryAuditTrail(clock);
    return new ConsoleBackends(tokens, new InMemoryModelPromotions(v -> models.find(v).isPresent(), clock), audit,
        audit, List::of);
  }

  /** The same backends with the PKI roster. */
  public ConsoleBackends withRoster(Supplier<List<EnrolledMember>> newRoster) {
    return new ConsoleBackends(tokens, promotions, auditWriter, auditReader, newRoster, runs);
  }
}
