package org.comity.aggregation.secagg.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.comity.aggregation.crypto.ShareCipher;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.ConsistencyVerifier;
import org.comity.aggregation.secagg.EncryptedShares;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundContext;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ShareDelivery;
import org.comity.aggregation.shamir.ShamirSecretSharing;

/**
 * Stage 2, share keys: collects {@link EncryptedShares} from the banks that advertised. Each must
 * hold exactly one ciphertext per advertised neighbour of the sender, of the exact share size.
 * Proceeds when all sent, or at the deadline with at least the threshold; then forwards to every
 * sender the ciphertexts addressed to it by the other senders ({@link ShareDelivery}). A bank that
 * drops here is simply left out of everyone's masks. Below the threshold: {@link
 * AbortReason#TOO_FEW_SHARES_SENT}.
 */
public final class CollectingShares implements ServerStage {
  static final String NAME = "SHARE_KEYS";
  /** nonce + two 33-byte share values + tag. */
  static final int CIPHERTEXT_LENGTH = ShareCipher.NONCE_LENGTH + 2 * ShamirSecretSharing.SHARE_VALUE_LENGTH
      + ShareCipher.TAG_LENGTH;
  private final RoundContext context;
  private final Optional<ConsistencyVerifier> verifier;
  private final Map<String, EncryptedShares> received;

  CollectingShares(RoundContext context, Optional<ConsistencyVerifier> verifier, Map<String, EncryptedShares> received) {
    this.context = context;
    this.verifier = verifier;
    this.received = Collections.unmodifiableMap(new TreeMap<>(received));
  }

  @Override
  public String stageName() {
    return NAME;
  }

  /** Public round context (session id, graph, directory). */
  public RoundContext context() {
    return context;
  }

  public int sharesReceived() {
    return received.size();
  }

  @Override
  public ServerTransition onMessage(String authenticatedSender, ClientMessage message) {
    SecAggConfig config = context.config();
    EncryptedShares shares = Checks.envelope(config, NAME, authenticatedSender, message, EncryptedShares.class);
    Checks.participant(context.directory().containsKey(authenticatedSender), authenticatedSender, NAME);
    Checks.notDuplicate(received.containsKey(authenticatedSender), authenticatedSender, NAME);
    if (!context.sessionMatches(shares.sessionId())) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SESSION, "encrypted shares are for another session");
    }
    Map<String, byte[]> ciphertexts = shares.ciphertextByRecipient();
    Set<String> expected = context.advertisedNeighboursOf(authenticatedSender);
    if (!ciphertexts.keySet().equals(expected)) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SIZE, "expected one ciphertext for each of the %d advertised neighbours, got %d (recipients must match exactly)"
          .formatted(expected.size(), ciphertexts.size()));
    }
    for (Map.Entry<String, byte[]> e : ciphertexts.entrySet()) {
      if (e.getValue().length != CIPHERTEXT_LENGTH) {
        throw new SecAggRejectedException(RejectionReason.WRONG_SIZE, "ciphertext for %s is %d bytes, expected %d"
            .formatted(e.getKey(), e.getValue().length, CIPHERTEXT_LENGTH));
      }
    }
    Map<String, EncryptedShares> next = new TreeMap<>(received);
    next.put(authenticatedSender, shares);
    CollectingShares updated = new CollectingShares(context, verifier, next);
    return next.size() == context.directory().size() ? updated.proceed() : ServerTransition.stay(updated);
  }

  @Override
  public ServerTransition onDeadline() {
    return proceed();
  }

  private ServerTransition proceed() {
    SecAggConfig config = context.config();
    if (received.size() < config.threshold()) {
      return Checks.abort(config, NAME, AbortReason.TOO_FEW_SHARES_SENT,
          "%d of %d banks sent encrypted shares, threshold is %d".formatted(received.size(), context.directory().size(),
              config.threshold()), context.directory().keySet());
    }
    Map<String, Set<String>> maskedWith = new TreeMap<>();
    List<Outbound> out = new ArrayList<>();
    byte[] sessionId = context.sessionId();
    Map<String, Map<String, byte[]>> bySender = new TreeMap<>();
    received.forEach((sender, shares) -> bySender.put(sender, shares.ciphertextByRecipient()));
    for (String recipient : received.keySet()) {
      Map<String, byte[]> forRecipient = new TreeMap<>();
      for (Map.Entry<String, Map<String, byte[]>> e : bySender.entrySet()) {
        byte[] c = e.getValue().get(recipient);
        if (c != null) {
          forRecipient.put(e.getKey(), c);
        }
      }
      maskedWith.put(recipient, Collections.unmodifiableSet(new TreeSet<>(forRecipient.keySet())));
      out.add(new Outbound(recipient, new ShareDelivery(config.roundId(), sessionId, forRecipient)));
    }
    return new ServerTransition(new CollectingMaskedInputs(context, verifier, maskedWith, Map.of()), out);
  }

  @Override
  public ServerTransition abort(String detail) {
    return Checks.abort(context.config(), NAME, AbortReason.ABORTED_BY_CALLER, detail, context.directory().keySet());
  }
}
