package org.comity.aggregation.secagg.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundAborted;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;

/** Checks every coordinator stage applies, in a fixed order, before looking at the content. */
final class Checks {
  private Checks() {}

  /** Round, sender identity, membership, expected message type. */
  static <T extends ClientMessage> T envelope(SecAggConfig config, String stageName, String authenticatedSender,
      ClientMessage message, Class<T> expected) {
    if (message.roundId() != config.roundId()) {
      throw new SecAggRejectedException(RejectionReason.WRONG_ROUND,
          "message for round " + message.roundId() + " received in round " + config.roundId());
    }
    if (!message.sender().equals(authenticatedSender)) {
      throw new SecAggRejectedException(RejectionReason.SENDER_MISMATCH,
          "message claims sender " + message.sender() + " but arrived from " + authenticatedSender);
    }
    if (!config.isMember(authenticatedSender)) {
      throw new SecAggRejectedException(RejectionReason.NOT_A_PARTICIPANT,
          authenticatedSender + " is not a member of round " + config.roundId());
    }
    if (!expected.isInstance(message)) {
      throw new SecAggRejectedException(RejectionReason.WRONG_STAGE, "round " + config.roundId() + " is " + stageName
          + "; it accepts only " + expected.getSimpleName() + ", got " + message.getClass().getSimpleName());
    }
    return expected.cast(message);
  }

  static void participant(boolean isParticipant, String sender, String stageName) {
    if (!isParticipant) {
      throw new SecAggRejectedException(RejectionReason.NOT_A_PARTICIPANT,
          sender + " is not a participant of stage " + stageName + " (dropped out earlier)");
    }
  }

  static void notDuplicate(boolean alreadyReceived, String sender, String stageName) {
    if (alreadyReceived) {
      throw new SecAggRejectedException(RejectionReason.DUPLICATE, sender + " already sent its " + stageName + " message");
    }
  }

  static ServerTransition abort(SecAggConfig config, String stageName, AbortReason reason, String detail,
      Collection<String> notify) {
    List<Outbound> out = new ArrayList<>();
    for (String r : notify) {
      out.add(new Outbound(r, new RoundAborted(config.roundId(), reason, detail)));
    }
    return new ServerTransition(new ServerAborted(reason, stageName, detail), out);
  }
}
