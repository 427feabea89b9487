package org.comity.aggregation.secagg.client;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.comity.aggregation.crypto.MaskGenerator;
import org.comity.aggregation.crypto.SecretBytes;
import org.comity.aggregation.crypto.ShareCipher;
import org.comity.aggregation.crypto.X25519KeyAgreement;
import org.comity.aggregation.secagg.MaskedInput;
import org.comity.aggregation.secagg.ProtocolCrypto;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundContext;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ServerMessage;
import org.comity.aggregation.secagg.ShareDelivery;
import org.comity.aggregation.shamir.Share;

/**
 * Stage 2 (share keys) done: waits for the {@link ShareDelivery}. On it, the bank decrypts the
 * neighbours' shares, then masks its encoded input with its self mask and one pairwise mask per
 * neighbour that delivered shares, and replies {@link MaskedInput}. Next it awaits the unmask
 * request, or with the consistency check first the {@link AwaitingConsistencyCheck consistency check}.
 *
 * <p>Refuses (state unchanged) a delivery from a non-neighbour, one that fails authentication, or
 * one leaving fewer share holders than the threshold (with no honest neighbour to mask with, the
 * unmasking would expose the bank's input).
 */
public final class AwaitingShareDelivery implements ClientStage {
  private final RoundContext context;
  private final String self;
  /** Per advertised neighbour: the AES-GCM key of shares it sends to this bank. */
  private final Map<String, SecretBytes> receiveKeys;
  private final X25519KeyAgreement.KeyPair maskingKeys;
  private final SecretBytes selfMaskSeed;
  private final Share ownSeedShare;
  private final int[] encodedInput;
  private final Optional<ConsistencyCredentials> consistency;

  AwaitingShareDelivery(RoundContext context, String self, Map<String, SecretBytes> receiveKeys,
      X25519KeyAgreement.KeyPair maskingKeys, SecretBytes selfMaskSeed, Share ownSeedShare, int[] encodedInput,
      Optional<ConsistencyCredentials> consistency) {
    this.consistency = consistency;
    this.context = context;
    this.self = self;
    this.receiveKeys = receiveKeys;
    this.maskingKeys = maskingKeys;
    this.selfMaskSeed = selfMaskSeed;
    this.ownSeedShare = ownSeedShare;
    this.encodedInput = encodedInput;
  }

  @Override
  public String stageName() {
    return "AWAITING_SHARE_DELIVERY";
  }

  /** Public context of the round (session id, graph); contains no secrets. */
  public RoundContext context() {
    return context;
  }

  @Override
  public ClientTransition onMessage(ServerMessage message, SecureRandom random) {
    SecAggConfig config = context.config();
    if (!(message instanceof ShareDelivery delivery) || message.roundId() != config.roundId()) {
      return ClientStages.abortedOrWrongStage(this, config.roundId(), message, "ShareDelivery");
    }
    if (!context.sessionMatches(delivery.sessionId())) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SESSION, "share delivery is for another session");
    }
    Map<String, byte[]> ciphertexts = delivery.ciphertextBySender();
    Set<String> neighbours = context.advertisedNeighboursOf(self);
    for (String sender : ciphertexts.keySet()) {
      if (!neighbours.contains(sender)) {
        throw new SecAggRejectedException(RejectionReason.NOT_A_PARTICIPANT,
            "share delivery contains shares from " + sender + ", not an advertised neighbour");
      }
    }
    if (ciphertexts.size() + 1 < config.threshold()) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
          "only %d neighbours delivered shares; with this bank %d holders, below threshold %d"
              .formatted(ciphertexts.size(), ciphertexts.size() + 1, config.threshold()));
    }
    byte[] sessionId = context.sessionId();
    int x = config.xCoordinate(self);
    Map<String, Share> seedShares = new TreeMap<>();
    Map<String, Share> keyShares = new TreeMap<>();
    for (Map.Entry<String, byte[]> e : ciphertexts.entrySet()) {
      String sender = e.getKey();
      SecretBytes key = receiveKeys.get(sender);
      try {
        Share[] pair = ProtocolCrypto.parseSharePlaintext(ShareCipher.decrypt(key, e.getValue(),
            ProtocolCrypto.shareAad(sessionId, config.roundId(), sender, self)), x);
        seedShares.put(sender, pair[0]);
        keyShares.put(sender, pair[1]);
      } catch (GeneralSecurityException | IllegalArgumentException failure) {
        throw new SecAggRejectedException(RejectionReason.DECRYPTION_FAILED,
            "shares from " + sender + " failed authentication or have the wrong size");
      }
    }
    seedShares.put(self, ownSeedShare);
    int[] masked = encodedInput.clone();
    MaskGenerator.addMask(masked, selfMaskSeed, 1);
    for (String peerId : ciphertexts.keySet()) {
      SecretBytes seed = ProtocolCrypto.pairwiseSeed(maskingKeys.privateKey(),
          context.directory().get(peerId).maskingPublicKey(), sessionId, config.roundId(), self, peerId);
      MaskGenerator.addMask(masked, seed, ProtocolCrypto.pairwiseSign(self, peerId));
    }
    MaskedInput reply = new MaskedInput(config.roundId(), sessionId, self, ProtocolCrypto.packWords(masked));
    ClientStage next = consistency.isPresent()
        ? new AwaitingConsistencyCheck(context, self, Set.copyOf(ciphertexts.keySet()), Map.copyOf(seedShares),
            Map.copyOf(keyShares), consistency.get())
        : new AwaitingUnmaskRequest(context, self, Set.copyOf(ciphertexts.keySet()), Map.copyOf(seedShares),
            Map.copyOf(keyShares), Optional.empty());
    return new ClientTransition(next, Optional.of(reply));
  }

  @Override
  public String toString() {
    return "AwaitingShareDelivery[round=" + context.config().roundId() + ", self=" + self + ", secrets=<redacted>]";
  }
}
