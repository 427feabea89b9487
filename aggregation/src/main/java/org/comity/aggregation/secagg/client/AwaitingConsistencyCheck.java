package org.comity.aggregation.secagg.client;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.comity.aggregation.secagg.ConsistencyCheckRequest;
import org.comity.aggregation.secagg.ConsistencyCheckResponse;
import org.comity.aggregation.secagg.ConsistencyStatement;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundContext;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ServerMessage;
import org.comity.aggregation.shamir.Share;

/**
 * Masked input sent, consistency check on ({@link SecAggConfig#consistencyCheck()}): waits for the one {@link
 * ConsistencyCheckRequest}. An unmask request is refused here: the bank reveals nothing before it has signed a
 * survivor set.
 *
 * <p><b>Security guarantee.</b> The bank signs at most one survivor set per round, and only a set that lists
 * only members that advertised keys, includes this bank, has at least the threshold of members, and lists among
 * this bank's neighbours only those it masked with (a neighbour that delivered no shares cannot have sent a
 * masked input). Once signed, it moves to {@link AwaitingUnmaskRequest}, which unmasks only for that same set
 * carrying at least the threshold of valid signatures by its members. Since every honest bank signs one set, a
 * coordinator cannot collect the threshold of signatures for two different sets whenever twice the threshold
 * exceeds the number of members plus the number of corrupt ones (h honest banks sign one set each, c corrupt
 * ones any number: both sets succeed only if 2t &lt;= h + 2c = n + c; this is the complete-graph semi-malicious
 * threshold), and so cannot obtain a bank's self-mask seed share from some banks and its masking-key share from
 * others.
 */
public final class AwaitingConsistencyCheck implements ClientStage {
  private final RoundContext context;
  private final String self;
  private final Set<String> maskedWith;
  private final Map<String, Share> seedSharesByOwner;
  private final Map<String, Share> keySharesByOwner;
  private final ConsistencyCredentials credentials;

  AwaitingConsistencyCheck(RoundContext context, String self, Set<String> maskedWith,
      Map<String, Share> seedSharesByOwner, Map<String, Share> keySharesByOwner, ConsistencyCredentials credentials) {
    this.context = context;
    this.self = self;
    this.maskedWith = maskedWith;
    this.seedSharesByOwner = seedSharesByOwner;
    this.keySharesByOwner = keySharesByOwner;
    this.credentials = credentials;
  }

  @Override
  public String stageName() {
    return "AWAITING_CONSISTENCY_CHECK";
  }

  /** The neighbours this bank masked pairwise with (public to the coordinator anyway). */
  public Set<String> maskedWith() {
    return maskedWith;
  }

  @Override
  public ClientTransition onMessage(ServerMessage message, SecureRandom random) {
    SecAggConfig config = context.config();
    if (!(message instanceof ConsistencyCheckRequest request) || message.roundId() != config.roundId()) {
      return ClientStages.abortedOrWrongStage(this, config.roundId(), message, "ConsistencyCheckRequest");
    }
    if (!context.sessionMatches(request.sessionId())) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SESSION, "consistency check is for another session");
    }
    List<String> survivors = request.survivors();
    for (String id : survivors) {
      if (!config.isMember(id) || !context.directory().containsKey(id)) {
        throw new SecAggRejectedException(RejectionReason.NOT_A_PARTICIPANT,
            "survivor " + id + " is not a member that advertised keys");
      }
    }
    if (!survivors.contains(self)) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
          "the survivor set does not list this bank; it signs no set without itself");
    }
    if (survivors.size() < config.threshold()) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
          "the survivor set lists %d banks, below threshold %d; this bank signs no such set"
              .formatted(survivors.size(), config.threshold()));
    }
    Set<String> unmaskedNeighbours = new TreeSet<>(context.advertisedNeighboursOf(self));
    unmaskedNeighbours.retainAll(survivors);
    unmaskedNeighbours.removeAll(maskedWith);
    if (!unmaskedNeighbours.isEmpty()) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT, ("the survivor set lists neighbours %s that "
          + "delivered no shares to this bank, so cannot have sent a masked input").formatted(unmaskedNeighbours));
    }
    byte[] statement = ConsistencyStatement.encode(context.sessionId(), config.roundId(), survivors);
    byte[] signature = credentials.signer().sign(statement);
    ConsistencyCheckResponse reply = new ConsistencyCheckResponse(config.roundId(), context.sessionId(), self,
        signature);
    AwaitingUnmaskRequest next = new AwaitingUnmaskRequest(context, self, maskedWith, seedSharesByOwner,
        keySharesByOwner, Optional.of(new AwaitingUnmaskRequest.SignedSurvivors(survivors, statement,
            credentials.verifier())));
    return new ClientTransition(next, Optional.of(reply));
  }

  @Override
  public String toString() {
    return "AwaitingConsistencyCheck[round=" + context.config().roundId() + ", self=" + self + ", shares=<redacted>]";
  }
}
