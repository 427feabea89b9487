package org.comity.aggregation.secagg.client;

import java.security.SecureRandom;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ServerMessage;

/**
 * One stage of the bank side of SecAgg+. Stages are immutable: {@link #onMessage} returns the next
 * stage and the reply, and on a rejected message throws {@link SecAggRejectedException} leaving
 * this stage as it was (it can simply be kept).
 */
public sealed interface ClientStage
    permits AwaitingKeyDirectory, AwaitingShareDelivery, AwaitingConsistencyCheck, AwaitingUnmaskRequest, ClientCompleted,
    ClientAborted {

  /** Stable stage name for metrics and logs. */
  String stageName();

  /**
   * Handles one coordinator message.
   *
   * @throws SecAggRejectedException with the reason when the message is refused; nothing changed
   */
  ClientTransition onMessage(ServerMessage message, SecureRandom random);
}
