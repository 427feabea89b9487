package org.comity.aggregation.secagg.client;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.comity.aggregation.crypto.MaskGenerator;
import org.comity.aggregation.crypto.SecretBytes;
import org.comity.aggregation.crypto.ShareCipher;
import org.comity.aggregation.crypto.X25519KeyAgreement;
import org.comity.aggregation.secagg.AdvertiseKeys;
import org.comity.aggregation.secagg.ConsistencySigner;
import org.comity.aggregation.secagg.ConsistencyVerifier;
import org.comity.aggregation.secagg.EncryptedShares;
import org.comity.aggregation.secagg.KeyDirectory;
import org.comity.aggregation.secagg.ProtocolCrypto;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundContext;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ServerMessage;
import org.comity.aggregation.shamir.ShamirSecretSharing;
import org.comity.aggregation.shamir.Share;

/**
 * Stage 1 (advertise keys) done: the bank sent its two public keys and waits for the {@link
 * KeyDirectory}. On it, the bank draws its self-mask seed, Shamir-shares the seed and its masking
 * private key among itself and its advertised neighbours, and replies {@link EncryptedShares}.
 */
public final class AwaitingKeyDirectory implements ClientStage {
  private final SecAggConfig config;
  private final String self;
  private final X25519KeyAgreement.KeyPair encryptionKeys;
  private final X25519KeyAgreement.KeyPair maskingKeys;
  private final int[] encodedInput;
  private final Optional<ConsistencyCredentials> consistency;

  private AwaitingKeyDirectory(SecAggConfig config, String self, X25519KeyAgreement.KeyPair encryptionKeys,
      X25519KeyAgreement.KeyPair maskingKeys, int[] encodedInput, Optional<ConsistencyCredentials> consistency) {
    this.consistency = consistency;
    this.config = config;
    this.self = self;
    this.encryptionKeys = encryptionKeys;
    this.maskingKeys = maskingKeys;
    this.encodedInput = encodedInput;
  }

  /**
   * Starts a round: quantizes the input, draws two key pairs and returns the {@link AdvertiseKeys}
   * to send.
   *
   * @throws IllegalArgumentException if {@code self} is not a member or the input has the wrong
   *     length or weight
   */
  public static ClientTransition start(SecAggConfig config, String self, ClientInput input, SecureRandom random) {
    return start(config, self, input, random, Optional.empty());
  }

  /**
   * As {@link #start(SecAggConfig, String, ClientInput, SecureRandom)}, with what the consistency check needs
   * when the config enables it (ignored otherwise).
   *
   * @throws IllegalArgumentException also if the config enables the consistency check and signer or verifier
   *     is missing
   */
  public static ClientTransition start(SecAggConfig config, String self, ClientInput input, SecureRandom random,
      ConsistencySigner signer, ConsistencyVerifier verifier) {
    return start(config, self, input, random,
        config.consistencyCheck() ? Optional.of(new ConsistencyCredentials(signer, verifier)) : Optional.empty());
  }

  private static ClientTransition start(SecAggConfig config, String self, ClientInput input, SecureRandom random,
      Optional<ConsistencyCredentials> consistency) {
    if (config.consistencyCheck() && consistency.isEmpty()) {
      throw new IllegalArgumentException("round " + config.roundId()
          + " runs the consistency check: the bank needs a signer and a verifier");
    }
    if (!config.isMember(self)) {
      throw new IllegalArgumentException(self + " is not a member of round " + config.roundId());
    }
    if (input.update().length != config.vectorLength()) {
      throw new IllegalArgumentException("update length must be %d, got %d"
          .formatted(config.vectorLength(), input.update().length));
    }
    java.util.random.RandomGenerator coins = input.roundingSeed() == null ? random
        : new java.util.SplittableRandom(input.roundingSeed());
    // Distributed DP noise, if any, always comes from the SecureRandom: never from the rounding seed, which the
    // coordinator sent in the training task.
    int[] encoded = config.encoding().encode(input.update(), input.weight(), coins, random);
    X25519KeyAgreement.KeyPair c = X25519KeyAgreement.generate(random);
    X25519KeyAgreement.KeyPair s = X25519KeyAgreement.generate(random);
    AdvertiseKeys message = new AdvertiseKeys(config.roundId(), self, c.publicKey(), s.publicKey());
    return new ClientTransition(new AwaitingKeyDirectory(config, self, c, s, encoded, consistency), Optional.of(message));
  }

  @Override
  public String stageName() {
    return "AWAITING_KEY_DIRECTORY";
  }

  @Override
  public ClientTransition onMessage(ServerMessage message, SecureRandom random) {
    if (!(message instanceof KeyDirectory directory) || message.roundId() != config.roundId()) {
      return ClientStages.abortedOrWrongStage(this, config.roundId(), message, "KeyDirectory");
    }
    List<AdvertiseKeys> advertised = directory.advertised();
    Set<String> seen = new HashSet<>();
    AdvertiseKeys own = null;
    for (AdvertiseKeys a : advertised) {
      if (a.roundId() != config.roundId()) {
        throw new SecAggRejectedException(RejectionReason.WRONG_ROUND, "directory entry of " + a.sender()
            + " is for round " + a.roundId());
      }
      if (!config.isMember(a.sender())) {
        throw new SecAggRejectedException(RejectionReason.NOT_A_PARTICIPANT, "directory lists non-member " + a.sender());
      }
      if (!seen.add(a.sender())) {
        throw new SecAggRejectedException(RejectionReason.DUPLICATE, "directory lists " + a.sender() + " twice");
      }
      if (a.encryptionPublicKey().length != X25519KeyAgreement.KEY_LENGTH
          || a.maskingPublicKey().length != X25519KeyAgreement.KEY_LENGTH) {
        throw new SecAggRejectedException(RejectionReason.WRONG_SIZE, "directory keys of " + a.sender() + " are not 32 bytes");
      }
      if (a.sender().equals(self)) {
        own = a;
      }
    }
    if (own == null || !Arrays.equals(own.encryptionPublicKey(), encryptionKeys.publicKey())
        || !Arrays.equals(own.maskingPublicKey(), maskingKeys.publicKey())) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT, "directory does not list this bank's own keys unchanged");
    }
    if (advertised.size() < config.threshold()) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT, "directory lists %d banks, below threshold %d"
          .formatted(advertised.size(), config.threshold()));
    }
    RoundContext context = RoundContext.of(config, advertised);
    Set<String> neighbours = context.advertisedNeighboursOf(self);
    if (neighbours.size() + 1 < config.threshold()) {
      throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
          "only %d share holders (self + advertised neighbours), below threshold %d"
              .formatted(neighbours.size() + 1, config.threshold()));
    }
    for (String neighbour : neighbours) {
      // Defence in depth (the coordinator refuses low-order keys at advertisement): this bank uses
      // exactly its neighbours' keys, so it checks exactly those. Encryption keys are checked by the
      // agreement below.
      if (!X25519KeyAgreement.isValidPublicKey(context.directory().get(neighbour).maskingPublicKey())) {
        throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
            "directory lists a low-order masking key for neighbour " + neighbour);
      }
    }
    List<String> holders = new java.util.ArrayList<>(neighbours);
    holders.add(self);
    int[] xs = holders.stream().mapToInt(config::xCoordinate).toArray();
    SecretBytes selfMaskSeed = SecretBytes.random(MaskGenerator.SEED_LENGTH, random);
    List<Share> seedShares = ShamirSecretSharing.split(selfMaskSeed, config.threshold(), xs, random);
    List<Share> keyShares = ShamirSecretSharing.split(maskingKeys.privateKey(), config.threshold(), xs, random);
    byte[] sessionId = context.sessionId();
    Map<String, byte[]> ciphertexts = new TreeMap<>();
    Map<String, SecretBytes> receiveKeys = new TreeMap<>();
    Share ownSeedShare = null;
    for (int i = 0; i < holders.size(); i++) {
      String holder = holders.get(i);
      if (holder.equals(self)) {
        ownSeedShare = seedShares.get(i);
        continue;
      }
      AdvertiseKeys peer = context.directory().get(holder);
      SecretBytes shared;
      try {
        shared = X25519KeyAgreement.agree(encryptionKeys.privateKey(), peer.encryptionPublicKey());
      } catch (IllegalArgumentException lowOrder) {
        throw new SecAggRejectedException(RejectionReason.INCONSISTENT,
            "directory lists a low-order encryption key for neighbour " + holder);
      }
      SecretBytes key = ProtocolCrypto.shareKeyFromSharedSecret(shared, sessionId, config.roundId(), self, holder);
      receiveKeys.put(holder,
          ProtocolCrypto.shareKeyFromSharedSecret(shared, sessionId, config.roundId(), holder, self));
      SecretBytes plaintext = ProtocolCrypto.sharePlaintext(seedShares.get(i), keyShares.get(i));
      byte[] raw = plaintext.copyOfSecret();
      try {
        ciphertexts.put(holder, ShareCipher.encrypt(key, raw,
            ProtocolCrypto.shareAad(sessionId, config.roundId(), self, holder), random));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-256-GCM is required by the Java platform but failed", e);
      } finally {
        SecretBytes.wipe(raw);
      }
    }
    AwaitingShareDelivery next = new AwaitingShareDelivery(context, self, Map.copyOf(receiveKeys), maskingKeys,
        selfMaskSeed, ownSeedShare, encodedInput, consistency);
    return new ClientTransition(next,
        Optional.of(new EncryptedShares(config.roundId(), sessionId, self, ciphertexts)));
  }

  @Override
  public String toString() {
    return "AwaitingKeyDirectory[round=" + config.roundId() + ", self=" + self + ", secrets=<redacted>]";
  }
}
