package org.comity.aggregation.secagg.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.comity.aggregation.crypto.MaskGenerator;
import org.comity.aggregation.crypto.SecretBytes;
import org.comity.aggregation.crypto.X25519KeyAgreement;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.MaskedInput;
import org.comity.aggregation.secagg.ProtocolCrypto;
import org.comity.aggregation.secagg.QuantizedEncoding;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundContext;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.UnmaskResponse;
import org.comity.aggregation.shamir.ShamirSecretSharing;
import org.comity.aggregation.shamir.Share;

/**
 * Stage 4, unmask: collects {@link UnmaskResponse} from the survivors (with the consistency check:
 * from the survivors that signed the survivor set); each must hold exactly the
 * expected shares (seed shares of its surviving neighbours and itself, key shares of its dropped
 * neighbours) at its own x-coordinate. When all asked banks answered, or at the deadline, the stage
 * reconstructs every survivor's self-mask seed and every dropped bank's masking key from at least
 * the threshold of shares, removes all masks from the sum of the masked inputs, and decodes. A
 * reconstructed masking key must match its advertised public key, and where a spare share exists it
 * must lie on the reconstructed polynomial ({@link AbortReason#RECONSTRUCTION_FAILED} otherwise). Fewer shares than the threshold
 * for any needed secret: {@link AbortReason#TOO_FEW_UNMASK_RESPONSES}.
 */
public final class CollectingUnmaskResponses implements ServerStage {
  static final String NAME = "UNMASK";
  private final RoundContext context;
  private final Map<String, Set<String>> maskedWith;
  private final Map<String, MaskedInput> maskedInputs;
  private final Set<String> dropped;
  /** The banks asked to unmask: the survivors, or with the consistency check those that signed. */
  private final Set<String> recipients;
  private final Map<String, UnmaskResponse> received;

  CollectingUnmaskResponses(RoundContext context, Map<String, Set<String>> maskedWith,
      Map<String, MaskedInput> maskedInputs, Set<String> dropped, Set<String> recipients,
      Map<String, UnmaskResponse> received) {
    this.context = context;
    this.maskedWith = maskedWith;
    this.maskedInputs = Collections.unmodifiableMap(new TreeMap<>(maskedInputs));
    this.dropped = Collections.unmodifiableSet(new TreeSet<>(dropped));
    this.recipients = Collections.unmodifiableSet(new TreeSet<>(recipients));
    this.received = Collections.unmodifiableMap(new TreeMap<>(received));
  }

  @Override
  public String stageName() {
    return NAME;
  }

  public RoundContext context() {
    return context;
  }

  public Set<String> survivors() {
    return maskedInputs.keySet();
  }

  public Set<String> droppedAfterSharing() {
    return dropped;
  }

  public int unmaskResponsesReceived() {
    return received.size();
  }

  @Override
  public ServerTransition onMessage(String authenticatedSender, ClientMessage message) {
    SecAggConfig config = context.config();
    UnmaskResponse response = Checks.envelope(config, NAME, authenticatedSender, message, UnmaskResponse.class);
    Checks.participant(recipients.contains(authenticatedSender), authenticatedSender, NAME);
    Checks.notDuplicate(received.containsKey(authenticatedSender), authenticatedSender, NAME);
    if (!context.sessionMatches(response.sessionId())) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SESSION, "unmask response is for another session");
    }
    Set<String> expectedSeedOwners = new TreeSet<>(maskedWith.get(authenticatedSender));
    expectedSeedOwners.add(authenticatedSender);
    expectedSeedOwners.retainAll(maskedInputs.keySet());
    Set<String> expectedKeyOwners = new TreeSet<>(maskedWith.get(authenticatedSender));
    expectedKeyOwners.retainAll(dropped);
    if (!response.selfMaskSeedShares().keySet().equals(expectedSeedOwners)
        || !response.maskingKeyShares().keySet().equals(expectedKeyOwners)) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SIZE, ("expected seed shares of %d survivors and key "
          + "shares of %d dropped banks, got %d and %d (owners must match exactly)").formatted(expectedSeedOwners.size(),
          expectedKeyOwners.size(), response.selfMaskSeedShares().size(), response.maskingKeyShares().size()));
    }
    int x = config.xCoordinate(authenticatedSender);
    for (Share s : response.selfMaskSeedShares().values()) {
      requireX(s, x, authenticatedSender);
    }
    for (Share s : response.maskingKeyShares().values()) {
      requireX(s, x, authenticatedSender);
    }
    Map<String, UnmaskResponse> next = new TreeMap<>(received);
    next.put(authenticatedSender, response);
    CollectingUnmaskResponses updated = new CollectingUnmaskResponses(context, maskedWith, maskedInputs, dropped,
        recipients, next);
    return next.size() == recipients.size() ? updated.finish() : ServerTransition.stay(updated);
  }

  private static void requireX(Share share, int x, String sender) {
    if (share.x() != x) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
          "share from " + sender + " has x-coordinate " + share.x() + ", expected " + x);
    }
  }

  @Override
  public ServerTransition onDeadline() {
    return finish();
  }

  private ServerTransition finish() {
    SecAggConfig config = context.config();
    int t = config.threshold();
    Map<String, List<Share>> seedShares = new TreeMap<>();
    Map<String, List<Share>> keyShares = new TreeMap<>();
    for (UnmaskResponse r : received.values()) {
      r.selfMaskSeedShares().forEach((owner, share) -> seedShares.computeIfAbsent(owner, o -> new ArrayList<>()).add(share));
      r.maskingKeyShares().forEach((owner, share) -> keyShares.computeIfAbsent(owner, o -> new ArrayList<>()).add(share));
    }
    for (String s : maskedInputs.keySet()) {
      int have = seedShares.getOrDefault(s, List.of()).size();
      if (have < t) {
        return Checks.abort(config, NAME, AbortReason.TOO_FEW_UNMASK_RESPONSES,
            "self-mask seed of %s: %d shares received, threshold is %d (%d of %d asked banks answered)"
                .formatted(s, have, t, received.size(), recipients.size()), maskedInputs.keySet());
      }
    }
    for (String d : dropped) {
      int have = keyShares.getOrDefault(d, List.of()).size();
      if (have < t) {
        return Checks.abort(config, NAME, AbortReason.TOO_FEW_UNMASK_RESPONSES,
            "masking key of dropped %s: %d shares received, threshold is %d".formatted(d, have, t),
            maskedInputs.keySet());
      }
    }
    int length = config.encodedLength();
    int[] sum = new int[length];
    for (MaskedInput m : maskedInputs.values()) {
      int[] words = ProtocolCrypto.unpackWords(m.maskedWords());
      for (int i = 0; i < length; i++) {
        sum[i] += words[i];
      }
    }
    byte[] sessionId = context.sessionId();
    try {
      for (String s : maskedInputs.keySet()) {
        MaskGenerator.addMask(sum, ShamirSecretSharing.reconstructChecked(seedShares.get(s), t), -1);
      }
      for (String d : dropped) {
        SecretBytes maskingKey = ShamirSecretSharing.reconstructChecked(keyShares.get(d), t);
        if (!Arrays.equals(X25519KeyAgreement.publicKeyOf(maskingKey), context.directory().get(d).maskingPublicKey())) {
          return Checks.abort(config, NAME, AbortReason.RECONSTRUCTION_FAILED,
              "reconstructed masking key of " + d + " does not match its advertised public key", maskedInputs.keySet());
        }
        for (String j : maskedWith.get(d)) {
          if (maskedInputs.containsKey(j)) {
            SecretBytes seed = ProtocolCrypto.pairwiseSeed(maskingKey, context.directory().get(j).maskingPublicKey(),
                sessionId, config.roundId(), d, j);
            MaskGenerator.addMask(sum, seed, -ProtocolCrypto.pairwiseSign(j, d));
          }
        }
      }
    } catch (IllegalArgumentException inconsistentShares) {
      return Checks.abort(config, NAME, AbortReason.RECONSTRUCTION_FAILED,
          "shares were inconsistent: " + inconsistentShares.getMessage(), maskedInputs.keySet());
    }
    QuantizedEncoding.DecodedSum decoded;
    try {
      decoded = config.encoding().decode(sum, maskedInputs.size());
    } catch (IllegalArgumentException badSum) {
      return Checks.abort(config, NAME, AbortReason.RECONSTRUCTION_FAILED, badSum.getMessage(), maskedInputs.keySet());
    }
    long[] unsigned = new long[length];
    for (int i = 0; i < length; i++) {
      unsigned[i] = Integer.toUnsignedLong(sum[i]);
    }
    AggregateResult result = new AggregateResult(List.copyOf(maskedInputs.keySet()), List.copyOf(dropped), unsigned,
        decoded.weightedSum(), decoded.totalWeight(), decoded.weightedMean(), decoded.meanErrorBound());
    return new ServerTransition(new ServerCompleted(result), List.of());
  }

  @Override
  public ServerTransition abort(String detail) {
    return Checks.abort(context.config(), NAME, AbortReason.ABORTED_BY_CALLER, detail, maskedInputs.keySet());
  }
}
