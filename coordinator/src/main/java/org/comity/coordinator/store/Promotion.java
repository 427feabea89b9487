package org.comity.coordinator.store;

import java.time.Instant;

/**
 * A promotion or rollback of the serving model, as recorded.
 *
 * @param sequence order of the record, from 1
 * @param action {@link Action#PROMOTE} or {@link Action#ROLLBACK}
 * @param target the version that serves after it
 * @param actor who did it
 * @param reason why, or {@code null}
 * @param at when
 */
public record Promotion(long sequence, Action action, ModelRef target, String actor, String reason, Instant at) {
  /** What was done. */
  public enum Action { PROMOTE, ROLLBACK }

  public Promotion {
    if (action == null || target == null || target.runId() == null || actor == null || actor.isBlank() || at == null) {
      throw new IllegalArgumentException("a promotion needs an action, a target with its run, an actor and a time");
    }
  }
}
