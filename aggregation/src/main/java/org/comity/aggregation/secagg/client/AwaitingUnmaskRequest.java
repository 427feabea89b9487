package org.comity.aggregation.secagg.client;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.comity.aggregation.secagg.ConsistencyStatement;
import org.comity.aggregation.secagg.ConsistencyVerifier;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundContext;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ServerMessage;
import org.comity.aggregation.secagg.UnmaskRequest;
import org.comity.aggregation.secagg.UnmaskResponse;
import org.comity.aggregation.shamir.Share;

/**
 * Stage 3 (masked input) done: waits for the one {@link UnmaskRequest}.
 *
 * <p><b>Security guarantee.</b> For each peer the bank reveals at most one kind of share: the
 * self-mask seed share if the peer is listed as a survivor, the masking-key share if listed as
 * dropped. A request listing a peer in both sets, omitting a peer the bank masked with, listing
 * fewer survivors than the threshold or not listing this bank as a survivor is refused, and after
 * answering the bank moves to {@link ClientCompleted}, which answers nothing.
 *
 * <p>With the consistency check ({@link SecAggConfig#consistencyCheck()}) the bank reached this stage by signing
 * one survivor set ({@link AwaitingConsistencyCheck}); it then also refuses a request whose survivor set differs
 * from the one it signed, or that carries fewer than the threshold of valid signatures over that set by distinct
 * members of it (forged signatures, signatures by banks outside the set and signatures over another set do not
 * count).
 */
public final class AwaitingUnmaskRequest implements ClientStage {
  private final RoundContext context;
  private final String self;
  private final Set<String> maskedWith;
  private final Map<String, Share> seedSharesByOwner;
  private final Map<String, Share> keySharesByOwner;
  /** With the consistency check: the set this bank signed; empty without the check. */
  private final Optional<SignedSurvivors> signed;

  /** The survivor set this bank signed, the signed statement, and the verifier of the other members' signatures. */
  record SignedSurvivors(List<String> survivors, byte[] statement, ConsistencyVerifier verifier) {
    SignedSurvivors {
      survivors = List.copyOf(survivors);
      statement = statement.clone();
    }

    @Override
    public byte[] statement() {
      return statement.clone();
    }

    @Override
    public String toString() {
      return "SignedSurvivors[" + survivors + "]";
    }
  }

  AwaitingUnmaskRequest(RoundContext context, String self, Set<String> maskedWith, Map<String, Share> seedSharesByOwner,
      Map<String, Share> keySharesByOwner, Optional<SignedSurvivors> signed) {
    this.context = context;
    this.self = self;
    this.maskedWith = maskedWith;
    this.seedSharesByOwner = seedSharesByOwner;
    this.keySharesByOwner = keySharesByOwner;
    this.signed = signed;
  }

  @Override
  public String stageName() {
    return "AWAITING_UNMASK_REQUEST";
  }

  /** The neighbours this bank masked pairwise with (public to the coordinator anyway). */
  public Set<String> maskedWith() {
    return maskedWith;
  }

  @Override
  public ClientTransition onMessage(ServerMessage message, SecureRandom random) {
    SecAggConfig config = context.config();
    if (!(message instanceof UnmaskRequest request) || message.roundId() != config.roundId()) {
      return ClientStages.abortedOrWrongStage(this, config.roundId(), message, "UnmaskRequest");
    }
    if (!context.sessionMatches(request.sessionId())) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SESSION, "unmask request is for another session");
    }
    Set<String> survivors = new HashSet<>(request.survivors());
    Set<String> dropped = new HashSet<>(request.dropped());
    for (String id : survivors) {
      if (dropped.contains(id)) {
        throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
            id + " is listed both as survivor and as dropped; refusing to reveal both of its shares");
      }
      if (!config.isMember(id)) {
        throw new SecAggRejectedException(RejectionReason.NOT_A_PARTICIPANT, "survivor " + id + " is not a member");
      }
    }
    for (String id : dropped) {
      if (!config.isMember(id)) {
        throw new SecAggRejectedException(RejectionReason.NOT_A_PARTICIPANT, "dropped " + id + " is not a member");
      }
    }
    if (!survivors.contains(self)) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT, "this bank is not listed as a survivor");
    }
    if (survivors.size() < config.threshold()) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
          "only %d survivors, below threshold %d".formatted(survivors.size(), config.threshold()));
    }
    for (String peer : maskedWith) {
      if (!survivors.contains(peer) && !dropped.contains(peer)) {
        throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
            "neighbour " + peer + " is listed neither as survivor nor as dropped");
      }
    }
    if (signed.isPresent()) {
      requireSignedSurvivors(signed.get(), request, config.threshold());
    }
    Map<String, Share> seedReveal = new TreeMap<>();
    Map<String, Share> keyReveal = new TreeMap<>();
    for (Map.Entry<String, Share> e : seedSharesByOwner.entrySet()) {
      if (survivors.contains(e.getKey())) {
        seedReveal.put(e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, Share> e : keySharesByOwner.entrySet()) {
      if (dropped.contains(e.getKey())) {
        keyReveal.put(e.getKey(), e.getValue());
      }
    }
    UnmaskResponse reply = new UnmaskResponse(config.roundId(), context.sessionId(), self, seedReveal, keyReveal);
    return new ClientTransition(new ClientCompleted(config.roundId()), Optional.of(reply));
  }

  /**
   * The request's survivor set must be the one this bank signed, with at least {@code threshold} valid signatures
   * over it by distinct members of it. Verification stops at the threshold: more valid signatures add nothing.
   */
  private static void requireSignedSurvivors(SignedSurvivors signed, UnmaskRequest request, int threshold) {
    if (!request.survivors().equals(signed.survivors())) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT, ("the unmask request lists survivors %s, but "
          + "this bank signed %s; it unmasks only for the set it signed").formatted(request.survivors(),
          signed.survivors()));
    }
    Set<String> members = new HashSet<>(signed.survivors());
    byte[] statement = signed.statement();
    // At most one verification per member of the set (map keys are distinct, outsiders are not verified), so a
    // request stuffed with signatures costs the bank no more than the set's size.
    int valid = 0;
    int invalid = 0;
    int outsiders = 0;
    for (Map.Entry<String, byte[]> e : new TreeMap<>(request.signatures()).entrySet()) {
      if (valid >= threshold) {
        break;
      }
      if (!members.contains(e.getKey())) {
        outsiders++;
      } else if (e.getValue().length > 0 && e.getValue().length <= ConsistencyStatement.MAX_SIGNATURE_LENGTH
          && signed.verifier().verify(e.getKey(), statement, e.getValue())) {
        valid++;
      } else {
        invalid++;
      }
    }
    if (valid < threshold) {
      throw new SecAggRejectedException(RejectionReason.INVALID_SIGNATURE, ("the unmask request carries %d valid "
          + "signatures over the survivor set by its members, threshold is %d (%d invalid, %d by non-survivors); "
          + "this bank reveals no share").formatted(valid, threshold, invalid, outsiders));
    }
  }

  @Override
  public String toString() {
    return "AwaitingUnmaskRequest[round=" + context.config().roundId() + ", self=" + self + ", shares=<redacted>]";
  }
}
