package org.comity.coordinator.console;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * An audit trail in memory: the default until the database-backed trail is bound, and the one tests use. It is lost
 * when the coordinator stops. Thread-safe.
 */
public final class InMemoryAuditTrail implements AuditWriter, AuditReader {
  private final Clock clock;
  private final List<AuditEntry> entries = new ArrayList<>();

  public InMemoryAuditTrail(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized AuditEntry append(String actor, String action, String subject, String detailsJson) {
    AuditEntry entry = new AuditEntry(entries.size() + 1L, clock.instant(), actor, action, subject, detailsJson);
    entries.add(entry);
    return entry;
  }

  @Override
  public synchronized Page<AuditEntry> page(long offset, int limit) {
    return Page.of(entries, offset, limit);
  }
}
