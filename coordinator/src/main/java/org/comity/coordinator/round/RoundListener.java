package org.comity.coordinator.round;

import org.comity.coordinator.model.ModelVersion;

/**
 * Observes the round engine. Called under the engine's lock, in order: implementations must be quick and must
 * not call back into the engine.
 */
public interface RoundListener {
  /** A round changed phase. */
  default void onTransition(RoundTransition transition) {}

  /** A new global model version was committed. */
  default void onCommitted(ModelVersion version) {}

  /** A round ended (committed or failed); its report is final. */
  default void onRoundFinished(RoundReport report) {}

  /** A result was refused; {@code reasonCode} is short and stable (e.g. {@code bad_update}). */
  default void onRejected(String reasonCode) {}

  /** The run ended (all rounds done, or it could not go on). */
  default void onRunFinished(RunOutcome outcome) {}
}
