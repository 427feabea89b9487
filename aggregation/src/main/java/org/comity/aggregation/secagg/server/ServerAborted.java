package org.comity.aggregation.secagg.server;

import java.util.List;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.SecAggRejectedException;

/**
 * Terminal: the round failed cleanly; no sum was computed.
 *
 * @param reason machine-readable cause
 * @param stageAtAbort the stage that aborted
 * @param detail counts and ids only, never secrets
 */
public record ServerAborted(AbortReason reason, String stageAtAbort, String detail) implements ServerStage {
  @Override
  public String stageName() {
    return "ABORTED";
  }

  @Override
  public ServerTransition onMessage(String authenticatedSender, ClientMessage message) {
    throw new SecAggRejectedException(RejectionReason.WRONG_STAGE,
        "round is ABORTED (" + reason + "); no message is accepted");
  }

  @Override
  public ServerTransition onDeadline() {
    return ServerTransition.stay(this);
  }

  @Override
  public ServerTransition abort(String detail) {
    return new ServerTransition(this, List.of());
  }
}
