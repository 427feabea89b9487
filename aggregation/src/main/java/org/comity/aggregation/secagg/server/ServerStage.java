package org.comity.aggregation.secagg.server;

import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.SecAggRejectedException;

/**
 * One stage of the coordinator side of SecAgg+. Stages are immutable: each step returns the next
 * stage plus outbound messages; a refused message throws {@link SecAggRejectedException} and this
 * stage stays valid and unchanged.
 *
 * <p>A collecting stage advances by itself once every expected bank has answered; otherwise the
 * round engine calls {@link #onDeadline()} when the stage's deadline passes, and the stage proceeds
 * with the banks that answered if they are at least the threshold, or aborts with the reason.
 */
public sealed interface ServerStage permits CollectingKeys, CollectingShares, CollectingMaskedInputs,
    CollectingConsistencySignatures, CollectingUnmaskResponses, ServerCompleted, ServerAborted {

  /** Stable stage name for metrics, logs and status descriptions. */
  String stageName();

  /**
   * @param authenticatedSender the bank id proven by the transport (mTLS), compared with the
   *     message's claimed sender
   * @throws SecAggRejectedException with the reason; nothing changed
   */
  ServerTransition onMessage(String authenticatedSender, ClientMessage message);

  /** The stage's deadline passed: proceed with the banks that answered, or abort. */
  ServerTransition onDeadline();

  /** Abandons the round; tells every bank still in it. */
  ServerTransition abort(String detail);
}
