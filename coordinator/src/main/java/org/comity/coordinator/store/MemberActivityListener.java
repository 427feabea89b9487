package org.comity.coordinator.store;

import java.time.Clock;
import org.comity.coordinator.round.RoundListener;
import org.comity.coordinator.round.RoundReport;

/**
 * Keeps the store's members table current from the rounds: every bank a round chose is recorded as seen when the
 * round ends (members unknown to the table, as in a run without the consortium PKI, are added).
 */
public final class MemberActivityListener implements RoundListener {
  private final MemberStore members;
  private final Clock clock;

  public MemberActivityListener(MemberStore members, Clock clock) {
    this.members = members;
    this.clock = clock;
  }

  @Override
  public void onRoundFinished(RoundReport report) {
    for (String member : report.selected()) {
      members.seen(member, clock.instant());
    }
  }
}
