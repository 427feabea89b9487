package org.comity.aggregation.secagg.client;

import java.security.SecureRandom;
import java.util.Optional;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.AdvertiseKeys;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.ConsistencySigner;
import org.comity.aggregation.secagg.ConsistencyVerifier;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ServerMessage;

/**
 * Bank-side facade of one SecAgg+ round: holds the current {@link ClientStage} and replaces it only
 * when a step succeeds. Single-use: create a new instance for the next round. Not thread-safe: the
 * agent feeds messages one at a time. No I/O: the agent sends what {@link #start} and {@link
 * #onMessage} return.
 *
 * <p>The bank has no deadlines of its own in the protocol; if the coordinator goes silent, the agent
 * calls {@link #abort} when its own timer fires.
 */
public final class SecAggClient {
  private final SecAggConfig config;
  private final String self;
  private final SecureRandom random;
  private final ConsistencySigner signer;
  private final ConsistencyVerifier verifier;
  private ClientStage stage;

  /**
   * @param config the round's agreed config
   * @param self this bank's member id (must equal the id its TLS certificate authenticates)
   * @param random source of every secret and of the rounding coins
   */
  public SecAggClient(SecAggConfig config, String self, SecureRandom random) {
    this(config, self, random, null, null);
  }

  /**
   * A bank that can take part in the consistency check.
   *
   * @param signer signs this bank's consistency statement with its identity key
   * @param verifier checks the other members' signatures by member id
   * @throws IllegalArgumentException if the config enables the consistency check and signer or verifier is null
   */
  public SecAggClient(SecAggConfig config, String self, SecureRandom random, ConsistencySigner signer,
      ConsistencyVerifier verifier) {
    if (!config.isMember(self)) {
      throw new IllegalArgumentException(self + " is not a member of round " + config.roundId());
    }
    if (config.consistencyCheck() && (signer == null || verifier == null)) {
      throw new IllegalArgumentException("round " + config.roundId()
          + " runs the consistency check: the bank needs a signer and a verifier");
    }
    this.config = config;
    this.self = self;
    this.random = random;
    this.signer = signer;
    this.verifier = verifier;
  }

  /**
   * Starts the round with this bank's input and returns the first message.
   *
   * @throws IllegalStateException if already started
   * @throws IllegalArgumentException if the input has the wrong length or weight
   */
  public AdvertiseKeys start(ClientInput input) {
    if (stage != null) {
      throw new IllegalStateException("round " + config.roundId() + " already started; create a new SecAggClient");
    }
    ClientTransition t = config.consistencyCheck()
        ? AwaitingKeyDirectory.start(config, self, input, random, signer, verifier)
        : AwaitingKeyDirectory.start(config, self, input, random);
    stage = t.next();
    return (AdvertiseKeys) t.reply().orElseThrow();
  }

  /**
   * Handles a coordinator message and returns the reply to send, if any.
   *
   * @throws SecAggRejectedException naming the reason; the stage is unchanged
   */
  public Optional<ClientMessage> onMessage(ServerMessage message) {
    if (stage == null) {
      throw new IllegalStateException("call start() before handling messages");
    }
    ClientTransition t = stage.onMessage(message, random);
    stage = t.next();
    return t.reply();
  }

  /** Abandons the round (agent timeout or operator); drops every round secret. */
  public void abort(String detail) {
    stage = new ClientAborted(AbortReason.ABORTED_BY_CALLER, detail);
  }

  /** Current stage; null before {@link #start}. */
  public ClientStage stage() {
    return stage;
  }
}
