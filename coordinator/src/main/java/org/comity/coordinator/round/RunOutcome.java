package org.comity.coordinator.round;

/**
 * How a run ended.
 *
 * @param completed true when every planned round was attempted; false when the run stopped early
 * @param reason in words
 * @param committedRounds rounds that committed a new version
 * @param failedRounds rounds that failed
 */
public record RunOutcome(boolean completed, String reason, int committedRounds, int failedRounds) {}
