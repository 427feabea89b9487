package org.comity.plan;

import java.time.Duration;

/**
 * The training schedule.
 *
 * @param count number of training rounds
 * @param participantsPerRound members sampled per round, or 0 for every connected member
 * @param minQuorum updates needed by the deadline for a round to commit
 * @param minMembersToStart connected members needed before the run starts
 * @param deadline how long a round's training stage waits for updates
 * @param evaluationDeadline how long a round's evaluation stage waits for results
 * @param joinTimeout how long the coordinator waits for {@code minMembersToStart} before failing a round
 * @param serverLearningRate FedAvg server learning rate: new = global + rate * weighted mean of updates
 * @param seed seed of participant sampling and of the per-round training seeds sent to the banks
 */
public record RoundsSpec(
    int count, int participantsPerRound, int minQuorum, int minMembersToStart, Duration deadline,
    Duration evaluationDeadline, Duration joinTimeout, double serverLearningRate, long seed) {}
