package org.comity.aggregation.secagg.client;

import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundAborted;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ServerMessage;

/** Handling shared by the bank-side stages. */
final class ClientStages {
  private ClientStages() {}

  /** Common handling of {@link RoundAborted} and of messages for another stage. */
  static ClientTransition abortedOrWrongStage(ClientStage stage, long roundId, ServerMessage message, String expected) {
    if (message instanceof RoundAborted aborted && aborted.roundId() == roundId) {
      return new ClientTransition(new ClientAborted(aborted.reason(), "coordinator aborted: " + aborted.detail()),
          java.util.Optional.empty());
    }
    if (message.roundId() != roundId) {
      throw new SecAggRejectedException(RejectionReason.WRONG_ROUND,
          "message for round " + message.roundId() + " received in round " + roundId);
    }
    throw new SecAggRejectedException(RejectionReason.WRONG_STAGE, "bank is in " + stage.stageName() + " and accepts only "
        + expected + ", got " + message.getClass().getSimpleName());
  }
}
