package org.comity.aggregation.secagg.server;

import java.util.List;
import java.util.Optional;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.ConsistencyVerifier;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;

/**
 * Coordinator-side facade of one SecAgg+ round: holds the current {@link ServerStage} and replaces
 * it only when a step succeeds (a refused message leaves it untouched). Single-use; not
 * thread-safe (the round engine serialises calls). No I/O, no clock: the round engine delivers the
 * returned {@link Outbound} messages and calls {@link #onDeadline()} when the current stage's
 * deadline passes.
 *
 * <p>The coordinator never holds a bank's plaintext: it sees public keys, AES-GCM ciphertexts,
 * masked vectors, and shares of masks and keys; the only plaintext it computes is the sum.
 */
public final class SecAggServer {
  private ServerStage stage;

  public SecAggServer(SecAggConfig config) {
    this.stage = CollectingKeys.start(config);
  }

  /**
   * A round whose consistency-check signatures are verified on receipt (only used when {@link
   * SecAggConfig#consistencyCheck()} is on): a signature that does not verify is refused, so it never reaches
   * the banks in the unmask request.
   */
  public SecAggServer(SecAggConfig config, ConsistencyVerifier verifier) {
    if (verifier == null) {
      throw new IllegalArgumentException("verifier must not be null; use SecAggServer(config) to go without");
    }
    this.stage = CollectingKeys.start(config, verifier);
  }

  /**
   * @param authenticatedSender the bank id proven by mTLS
   * @return messages to deliver (empty unless the stage advanced)
   * @throws SecAggRejectedException naming the reason; the stage is unchanged
   */
  public List<Outbound> onMessage(String authenticatedSender, ClientMessage message) {
    ServerTransition t = stage.onMessage(authenticatedSender, message);
    stage = t.next();
    return t.outbound();
  }

  /** The current stage's deadline passed: proceed with those who answered if enough, else abort. */
  public List<Outbound> onDeadline() {
    ServerTransition t = stage.onDeadline();
    stage = t.next();
    return t.outbound();
  }

  /** Abandons the round (operator or round engine); returns the abort notices to deliver. */
  public List<Outbound> abort(String detail) {
    ServerTransition t = stage.abort(detail);
    stage = t.next();
    return t.outbound();
  }

  public ServerStage stage() {
    return stage;
  }

  public Optional<AggregateResult> result() {
    return stage instanceof ServerCompleted completed ? Optional.of(completed.result()) : Optional.empty();
  }

  public Optional<ServerAborted> aborted() {
    return stage instanceof ServerAborted aborted ? Optional.of(aborted) : Optional.empty();
  }
}
