package org.comity.coordinator.console;

/** Reads the audit trail, oldest entry first. */
public interface AuditReader {
  /**
   * The entries {@code [offset, offset + limit)} in append order, with the trail's total size.
   *
   * @param offset index of the first entry (0 is the oldest); past the end gives an empty page
   * @param limit at least 1
   */
  Page<AuditEntry> page(long offset, int limit);
}
