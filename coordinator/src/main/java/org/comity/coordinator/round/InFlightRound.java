package org.comity.coordinator.round;

import java.util.List;

/**
 * A round that had started but not finished when the coordinator stopped, as its journal shows it.
 *
 * @param round round number
 * @param attempt attempt of this round number
 * @param selected the banks it chose (empty if it stopped before choosing)
 * @param secure whether it ran secure aggregation
 * @param lastPhase the last phase journaled for it
 */
public record InFlightRound(int round, int attempt, List<String> selected, boolean secure, RoundPhase lastPhase) {
  public InFlightRound {
    selected = List.copyOf(selected);
    if (round < 0 || attempt < 1 || lastPhase == null) {
      throw new IllegalArgumentException("bad in-flight round %d attempt %d phase %s".formatted(round, attempt, lastPhase));
    }
  }
}
