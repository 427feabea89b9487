package org.comity.aggregation.secagg.server;

import java.util.List;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.SecAggRejectedException;

/** Terminal: the sum was unmasked. Late messages are refused; deadlines are ignored. */
public record ServerCompleted(AggregateResult result) implements ServerStage {
  @Override
  public String stageName() {
    return "COMPLETED";
  }

  @Override
  public ServerTransition onMessage(String authenticatedSender, ClientMessage message) {
    throw new SecAggRejectedException(RejectionReason.WRONG_STAGE,
        "round is COMPLETED; no message is accepted, got " + message.getClass().getSimpleName());
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
