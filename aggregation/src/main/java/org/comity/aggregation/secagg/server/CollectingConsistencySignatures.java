package org.comity.aggregation.secagg.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.ConsistencyCheckResponse;
import org.comity.aggregation.secagg.ConsistencyStatement;
import org.comity.aggregation.secagg.ConsistencyVerifier;
import org.comity.aggregation.secagg.MaskedInput;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundContext;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.UnmaskRequest;

/**
 * Consistency-check stage (only with {@link SecAggConfig#consistencyCheck()}), between masked input and unmask:
 * collects from the survivors U3 their {@link ConsistencyCheckResponse}, a signature over the {@link
 * ConsistencyStatement} of U3. Proceeds when every survivor signed, or at the deadline if at least the threshold
 * did and every secret the unmasking needs keeps at least the threshold of share holders among the signers; then
 * sends each signer the {@link UnmaskRequest} carrying U3 and all collected signatures. Otherwise aborts with
 * {@link AbortReason#TOO_FEW_CONSISTENCY_SIGNATURES} or {@link AbortReason#TOO_FEW_SURVIVING_SHARE_HOLDERS}
 * before any share is revealed. A survivor that does not sign stays in the sum (its masked input is already
 * there) but is not asked to unmask: it would refuse a request without its own signed set.
 *
 * <p>With a {@link ConsistencyVerifier} (the coordinator holds the members' certificates from the key directory)
 * a signature that does not verify is refused on receipt ({@link RejectionReason#INVALID_SIGNATURE}), so one
 * bank cannot make the unmask request carry a signature the others would not count. Without one, signatures
 * are only size-checked here; the banks verify them in any case.
 */
public final class CollectingConsistencySignatures implements ServerStage {
  static final String NAME = "CONSISTENCY_CHECK";
  private final RoundContext context;
  private final Optional<ConsistencyVerifier> verifier;
  private final Map<String, Set<String>> maskedWith;
  private final Map<String, MaskedInput> maskedInputs;
  private final Set<String> dropped;
  private final Map<String, byte[]> signatures;

  CollectingConsistencySignatures(RoundContext context, Optional<ConsistencyVerifier> verifier,
      Map<String, Set<String>> maskedWith, Map<String, MaskedInput> maskedInputs, Set<String> dropped,
      Map<String, byte[]> signatures) {
    this.context = context;
    this.verifier = verifier;
    this.maskedWith = maskedWith;
    this.maskedInputs = Collections.unmodifiableMap(new TreeMap<>(maskedInputs));
    this.dropped = Collections.unmodifiableSet(new TreeSet<>(dropped));
    this.signatures = Collections.unmodifiableMap(new TreeMap<>(signatures));
  }

  @Override
  public String stageName() {
    return NAME;
  }

  public RoundContext context() {
    return context;
  }

  /** U3: the banks whose masked inputs are in the sum. */
  public Set<String> survivors() {
    return maskedInputs.keySet();
  }

  public int signaturesReceived() {
    return signatures.size();
  }

  @Override
  public ServerTransition onMessage(String authenticatedSender, ClientMessage message) {
    SecAggConfig config = context.config();
    ConsistencyCheckResponse response = Checks.envelope(config, NAME, authenticatedSender, message,
        ConsistencyCheckResponse.class);
    Checks.participant(maskedInputs.containsKey(authenticatedSender), authenticatedSender, NAME);
    Checks.notDuplicate(signatures.containsKey(authenticatedSender), authenticatedSender, NAME);
    if (!context.sessionMatches(response.sessionId())) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SESSION, "consistency signature is for another session");
    }
    byte[] signature = response.signature();
    if (signature.length == 0 || signature.length > ConsistencyStatement.MAX_SIGNATURE_LENGTH) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SIZE, "signature is %d bytes, allowed 1 to %d"
          .formatted(signature.length, ConsistencyStatement.MAX_SIGNATURE_LENGTH));
    }
    if (verifier.isPresent() && !verifier.get().verify(authenticatedSender, statement(), signature)) {
      throw new SecAggRejectedException(RejectionReason.INVALID_SIGNATURE,
          "the signature of " + authenticatedSender + " does not verify over the survivor set it was sent");
    }
    Map<String, byte[]> next = new TreeMap<>(signatures);
    next.put(authenticatedSender, signature);
    CollectingConsistencySignatures updated = new CollectingConsistencySignatures(context, verifier, maskedWith,
        maskedInputs, dropped, next);
    return next.size() == maskedInputs.size() ? updated.proceed() : ServerTransition.stay(updated);
  }

  private byte[] statement() {
    return ConsistencyStatement.encode(context.sessionId(), context.config().roundId(), maskedInputs.keySet());
  }

  @Override
  public ServerTransition onDeadline() {
    return proceed();
  }

  private ServerTransition proceed() {
    SecAggConfig config = context.config();
    int t = config.threshold();
    if (signatures.size() < t) {
      return Checks.abort(config, NAME, AbortReason.TOO_FEW_CONSISTENCY_SIGNATURES,
          "%d of %d survivors signed the survivor set, threshold is %d".formatted(signatures.size(),
              maskedInputs.size(), t), maskedWith.keySet());
    }
    Set<String> signers = new TreeSet<>(signatures.keySet());
    Optional<String> shortfall = CollectingMaskedInputs.holderShortfall(maskedWith, maskedInputs.keySet(), dropped,
        signers, t);
    if (shortfall.isPresent()) {
      return Checks.abort(config, NAME, AbortReason.TOO_FEW_SURVIVING_SHARE_HOLDERS,
          shortfall.get() + " among the banks that signed", maskedWith.keySet());
    }
    UnmaskRequest request = new UnmaskRequest(config.roundId(), context.sessionId(),
        List.copyOf(maskedInputs.keySet()), List.copyOf(dropped), signatures);
    List<Outbound> out = new ArrayList<>();
    for (String signer : signers) {
      out.add(new Outbound(signer, request));
    }
    return new ServerTransition(new CollectingUnmaskResponses(context, maskedWith, maskedInputs, dropped, signers,
        Map.of()), out);
  }

  @Override
  public ServerTransition abort(String detail) {
    return Checks.abort(context.config(), NAME, AbortReason.ABORTED_BY_CALLER, detail, maskedWith.keySet());
  }

  @Override
  public String toString() {
    return "CollectingConsistencySignatures[round=" + context.config().roundId() + ", survivors="
        + maskedInputs.size() + ", signatures=" + signatures.size() + "]";
  }
}
