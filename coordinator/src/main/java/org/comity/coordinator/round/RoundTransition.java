package org.comity.coordinator.round;

import java.time.Instant;

/**
 * One state change of a round, with its reason. Every transition is logged and handed to the
 * {@link RoundListener}s, which is where a journal for crash recovery attaches.
 *
 * @param runId the run
 * @param round round number (0 is the statistics round)
 * @param attempt attempt of this round number (the statistics round is retried under the same number)
 * @param from previous phase, or {@code null} when the round starts
 * @param to new phase
 * @param reason why, in words an operator can act on
 * @param at when
 */
public record RoundTransition(String runId, int round, int attempt, RoundPhase from, RoundPhase to, String reason,
    Instant at) {}
