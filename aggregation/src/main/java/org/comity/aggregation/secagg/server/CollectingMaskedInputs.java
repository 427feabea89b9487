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
import org.comity.aggregation.secagg.ConsistencyCheckRequest;
import org.comity.aggregation.secagg.ConsistencyVerifier;
import org.comity.aggregation.secagg.MaskedInput;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundContext;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.UnmaskRequest;

/**
 * Stage 3, masked input: collects {@link MaskedInput} (exactly {@code 4 * encodedLength} bytes) from
 * the banks that shared keys. Holds only masked vectors, never a bank's plaintext. Proceeds when all
 * sent, or at the deadline with at least the threshold, and only if every secret that must be
 * reconstructed (survivors' self-mask seeds, dropped banks' masking keys) still has at least the
 * threshold of surviving share holders; then sends each survivor the {@link UnmaskRequest}, or,
 * with {@link SecAggConfig#consistencyCheck()}, the {@link ConsistencyCheckRequest} listing the
 * survivors (stage {@link CollectingConsistencySignatures}). Otherwise aborts with {@link AbortReason#TOO_FEW_MASKED_INPUTS} or {@link
 * AbortReason#TOO_FEW_SURVIVING_SHARE_HOLDERS} before any share is revealed.
 */
public final class CollectingMaskedInputs implements ServerStage {
  static final String NAME = "MASKED_INPUT";
  private final RoundContext context;
  private final Optional<ConsistencyVerifier> verifier;
  private final Map<String, Set<String>> maskedWith;
  private final Map<String, MaskedInput> received;

  CollectingMaskedInputs(RoundContext context, Optional<ConsistencyVerifier> verifier,
      Map<String, Set<String>> maskedWith, Map<String, MaskedInput> received) {
    this.context = context;
    this.verifier = verifier;
    this.maskedWith = Collections.unmodifiableMap(new TreeMap<>(maskedWith));
    this.received = Collections.unmodifiableMap(new TreeMap<>(received));
  }

  @Override
  public String stageName() {
    return NAME;
  }

  public RoundContext context() {
    return context;
  }

  /** Banks that sent shares, each with the neighbours it masks with. */
  public Map<String, Set<String>> maskedWith() {
    return maskedWith;
  }

  public int maskedInputsReceived() {
    return received.size();
  }

  @Override
  public ServerTransition onMessage(String authenticatedSender, ClientMessage message) {
    SecAggConfig config = context.config();
    MaskedInput input = Checks.envelope(config, NAME, authenticatedSender, message, MaskedInput.class);
    Checks.participant(maskedWith.containsKey(authenticatedSender), authenticatedSender, NAME);
    Checks.notDuplicate(received.containsKey(authenticatedSender), authenticatedSender, NAME);
    if (!context.sessionMatches(input.sessionId())) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SESSION, "masked input is for another session");
    }
    int expectedBytes = 4 * config.encodedLength();
    if (input.maskedWords().length != expectedBytes) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SIZE, "masked input is %d bytes, expected %d"
          .formatted(input.maskedWords().length, expectedBytes));
    }
    Map<String, MaskedInput> next = new TreeMap<>(received);
    next.put(authenticatedSender, input);
    CollectingMaskedInputs updated = new CollectingMaskedInputs(context, verifier, maskedWith, next);
    return next.size() == maskedWith.size() ? updated.proceed() : ServerTransition.stay(updated);
  }

  @Override
  public ServerTransition onDeadline() {
    return proceed();
  }

  private ServerTransition proceed() {
    SecAggConfig config = context.config();
    int t = config.threshold();
    if (received.size() < t) {
      return Checks.abort(config, NAME, AbortReason.TOO_FEW_MASKED_INPUTS,
          "%d of %d banks sent masked inputs, threshold is %d".formatted(received.size(), maskedWith.size(), t),
          maskedWith.keySet());
    }
    Set<String> survivors = new TreeSet<>(received.keySet());
    Set<String> dropped = new TreeSet<>(maskedWith.keySet());
    dropped.removeAll(survivors);
    Optional<String> shortfall = holderShortfall(maskedWith, survivors, dropped, survivors, t);
    if (shortfall.isPresent()) {
      return Checks.abort(config, NAME, AbortReason.TOO_FEW_SURVIVING_SHARE_HOLDERS, shortfall.get(),
          maskedWith.keySet());
    }
    List<Outbound> out = new ArrayList<>();
    if (config.consistencyCheck()) {
      ConsistencyCheckRequest request = new ConsistencyCheckRequest(config.roundId(), context.sessionId(),
          List.copyOf(survivors));
      for (String s : survivors) {
        out.add(new Outbound(s, request));
      }
      return new ServerTransition(new CollectingConsistencySignatures(context, verifier, maskedWith, received,
          dropped, Map.of()), out);
    }
    UnmaskRequest request = new UnmaskRequest(config.roundId(), context.sessionId(), List.copyOf(survivors),
        List.copyOf(dropped));
    for (String s : survivors) {
      out.add(new Outbound(s, request));
    }
    return new ServerTransition(new CollectingUnmaskResponses(context, maskedWith, received, dropped, survivors,
        Map.of()), out);
  }

  /**
   * Checks that every secret the unmasking needs keeps at least {@code t} share holders among {@code holders}
   * (the banks that will be asked for shares): each survivor's self-mask seed (held by the survivor and its
   * neighbours) and each dropped bank's masking key (held by its neighbours only).
   *
   * @return the first shortfall, described with ids and counts only; empty if none
   */
  static Optional<String> holderShortfall(Map<String, Set<String>> maskedWith, Set<String> survivors,
      Set<String> dropped, Set<String> holders, int t) {
    for (String s : survivors) {
      int count = (holders.contains(s) ? 1 : 0) + countIn(maskedWith.get(s), holders);
      if (count < t) {
        return Optional.of("self-mask seed of %s has %d surviving share holders, threshold is %d".formatted(s, count, t));
      }
    }
    for (String d : dropped) {
      int count = countIn(maskedWith.get(d), holders);
      if (count < t) {
        return Optional.of("masking key of dropped %s has %d surviving share holders, threshold is %d"
            .formatted(d, count, t));
      }
    }
    return Optional.empty();
  }

  private static int countIn(Set<String> candidates, Set<String> in) {
    int count = 0;
    for (String c : candidates) {
      if (in.contains(c)) {
        count++;
      }
    }
    return count;
  }

  @Override
  public ServerTransition abort(String detail) {
    return Checks.abort(context.config(), NAME, AbortReason.ABORTED_BY_CALLER, detail, maskedWith.keySet());
  }
}
