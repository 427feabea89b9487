package org.comity.simulation.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A simulated customer: habits plus the history (time-ordered once {@link #sortHistory()} is called). */
final class Customer {
  final CustomerHabits habits;
  final List<TransactionEvent> history = new ArrayList<>();
  /** Next unused device id; devices 0 (phone) and, if any, 1 (tablet) exist from the start. */
  int nextDevice;
  /** Payees seen so far; ids below this were already used. */
  int nextPayee;
  boolean hasFraudEpisode;

  Customer(CustomerHabits habits) {
    this.habits = habits;
    this.nextDevice = habits.hasTablet() ? 2 : 1;
  }

  void sortHistory() {
    history.sort(Comparator.comparingDouble(e -> e.hours));
  }

  /** The last event (of any kind) strictly before {@code hours}, or null. Needs a sorted history. */
  TransactionEvent lastBefore(double hours, boolean outgoingOnly) {
    TransactionEvent last = null;
    for (TransactionEvent e : history) {
      if (e.hours >= hours) {
        break;
      }
      if (!outgoingOnly || e.outgoing()) {
        last = e;
      }
    }
    return last;
  }
}
