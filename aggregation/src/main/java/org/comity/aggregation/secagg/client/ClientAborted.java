package org.comity.aggregation.secagg.client;

import java.security.SecureRandom;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ServerMessage;

/** Terminal: the round was abandoned; all round secrets were dropped. */
public record ClientAborted(AbortReason reason, String detail) implements ClientStage {
  @Override
  public String stageName() {
    return "ABORTED";
  }

  @Override
  public ClientTransition onMessage(ServerMessage message, SecureRandom random) {
    throw new SecAggRejectedException(RejectionReason.WRONG_STAGE, "bank's round is aborted (" + reason + ")");
  }
}
