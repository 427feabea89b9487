package org.comity.aggregation.secagg.client;

import java.security.SecureRandom;
import org.comity.aggregation.secagg.ServerMessage;

/**
 * The bank has answered its one unmask request; it holds no round secrets any more and refuses any
 * further request (so it can never reveal a second kind of share for the same peer).
 */
public record ClientCompleted(long roundId) implements ClientStage {
  @Override
  public String stageName() {
    return "COMPLETED";
  }

  @Override
  public ClientTransition onMessage(ServerMessage message, SecureRandom random) {
    return ClientStages.abortedOrWrongStage(this, roundId, message, "nothing (round completed)");
  }
}
