package org.comity.coordinator.console;

import java.time.Instant;

/**
 * One entry of the audit trail: who did what to which object, and why.
 *
 * @param sequence position in the trail, from 1, gap-free
 * @param at when it was recorded
 * @param actor who did it: an operator token's name, or a command's name for the CLI
 * @param action short stable code, e.g. {@code model.promote}
 * @param subject what it was done to, e.g. {@code model/7}
 * @param detailsJson a JSON object with the action's details (the reason, the previous state); never a secret
 */
public record AuditEntry(long sequence, Instant at, String actor, String action, String subject, String detailsJson) {
  public AuditEntry {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence starts at 1, got " + sequence);
    }
    if (at == null || isBlank(actor) || isBlank(action) || isBlank(subject)) {
      throw new IllegalArgumentException("audit entry %d needs a time, an actor, an action and a subject"
          .formatted(sequence));
    }
    if (detailsJson == null || !detailsJson.strip().startsWith("{")) {
      throw new IllegalArgumentException("audit entry %d: details must be a JSON object".formatted(sequence));
    }
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
