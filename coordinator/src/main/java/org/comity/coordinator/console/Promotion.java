package org.comity.coordinator.console;

import java.time.Instant;

/**
 * One change of the promoted model version.
 *
 * @param action what happened
 * @param version the version promoted by this change (after a roll back: the version restored)
 * @param previousVersion the version promoted before, or {@code null} if none was
 * @param actor who did it (an operator token's name)
 * @param reason why, in the operator's words
 * @param at when
 */
public record Promotion(Action action, long version, Long previousVersion, String actor, String reason, Instant at) {
  /** Promote a chosen version, or roll back to the one promoted before the current one. */
  public enum Action { PROMOTE, ROLLBACK }

  public Promotion {
    if (action == null || at == null || actor == null || actor.isBlank() || reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a promotion needs an action, an actor, a reason and a time");
    }
    if (version < 1) {
      throw new IllegalArgumentException("model versions start at 1, got " + version);
    }
  }
}
