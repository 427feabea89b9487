package org.comity.aggregation.secagg.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.comity.aggregation.crypto.X25519KeyAgreement;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.AdvertiseKeys;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.ConsistencyVerifier;
import org.comity.aggregation.secagg.KeyDirectory;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundContext;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;

/**
 * Stage 1, advertise keys: collects {@link AdvertiseKeys} from the members. Proceeds when all
 * members advertised, or at the deadline with at least the threshold; then sends every advertiser
 * the {@link KeyDirectory}. Below the threshold at the deadline: aborts with {@link
 * AbortReason#TOO_FEW_KEYS_ADVERTISED}.
 */
public final class CollectingKeys implements ServerStage {
  static final String NAME = "ADVERTISE_KEYS";
  private final SecAggConfig config;
  private final Optional<ConsistencyVerifier> verifier;
  private final Map<String, AdvertiseKeys> received;

  CollectingKeys(SecAggConfig config, Optional<ConsistencyVerifier> verifier, Map<String, AdvertiseKeys> received) {
    this.config = config;
    this.verifier = verifier;
    this.received = Collections.unmodifiableMap(new TreeMap<>(received));
  }

  /** The first stage of a round. */
  public static CollectingKeys start(SecAggConfig config) {
    return new CollectingKeys(config, Optional.empty(), Map.of());
  }

  /**
   * The first stage of a round whose consistency-check signatures the coordinator verifies on receipt (see
   * {@link CollectingConsistencySignatures}).
   */
  public static CollectingKeys start(SecAggConfig config, ConsistencyVerifier verifier) {
    return new CollectingKeys(config, Optional.of(verifier), Map.of());
  }

  @Override
  public String stageName() {
    return NAME;
  }

  public int keysAdvertised() {
    return received.size();
  }

  @Override
  public ServerTransition onMessage(String authenticatedSender, ClientMessage message) {
    AdvertiseKeys keys = Checks.envelope(config, NAME, authenticatedSender, message, AdvertiseKeys.class);
    Checks.notDuplicate(received.containsKey(authenticatedSender), authenticatedSender, NAME);
    if (keys.encryptionPublicKey().length != X25519KeyAgreement.KEY_LENGTH
        || keys.maskingPublicKey().length != X25519KeyAgreement.KEY_LENGTH) {
      throw new SecAggRejectedException(RejectionReason.WRONG_SIZE, "public keys must be 32 bytes each, got "
          + keys.encryptionPublicKey().length + " and " + keys.maskingPublicKey().length);
    }
    if (!X25519KeyAgreement.isValidPublicKey(keys.encryptionPublicKey())
        || !X25519KeyAgreement.isValidPublicKey(keys.maskingPublicKey())) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
          "a public key of " + authenticatedSender + " is a low-order X25519 point");
    }
    if (Arrays.equals(keys.encryptionPublicKey(), keys.maskingPublicKey())) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT, "the two public keys must differ");
    }
    for (AdvertiseKeys other : received.values()) {
      if (Arrays.equals(other.maskingPublicKey(), keys.maskingPublicKey())
          || Arrays.equals(other.encryptionPublicKey(), keys.encryptionPublicKey())) {
        throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
            authenticatedSender + " advertised a public key already advertised by " + other.sender());
      }
    }
    Map<String, AdvertiseKeys> next = new TreeMap<>(received);
    next.put(authenticatedSender, keys);
    CollectingKeys updated = new CollectingKeys(config, verifier, next);
    return next.size() == config.members().size() ? updated.proceed() : ServerTransition.stay(updated);
  }

  @Override
  public ServerTransition onDeadline() {
    return proceed();
  }

  private ServerTransition proceed() {
    if (received.size() < config.threshold()) {
      return Checks.abort(config, NAME, AbortReason.TOO_FEW_KEYS_ADVERTISED,
          "%d of %d banks advertised keys, threshold is %d".formatted(received.size(), config.members().size(),
              config.threshold()), received.keySet());
    }
    RoundContext context = RoundContext.of(config, List.copyOf(received.values()));
    KeyDirectory directory = context.keyDirectory();
    List<Outbound> out = new ArrayList<>();
    for (String member : received.keySet()) {
      out.add(new Outbound(member, directory));
    }
    return new ServerTransition(new CollectingShares(context, verifier, Map.of()), out);
  }

  @Override
  public ServerTransition abort(String detail) {
    return Checks.abort(config, NAME, AbortReason.ABORTED_BY_CALLER, detail, received.keySet());
  }
}
