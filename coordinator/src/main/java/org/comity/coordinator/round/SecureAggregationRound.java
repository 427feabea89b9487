package org.comity.coordinator.round;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.comity.aggregation.crypto.SecretBytes;
import org.comity.aggregation.secagg.AdvertiseKeys;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.ConsistencyCheckRequest;
import org.comity.aggregation.secagg.ConsistencyCheckResponse;
import org.comity.aggregation.secagg.ConsistencyStatement;
import org.comity.aggregation.secagg.DistributedNoise;
import org.comity.aggregation.secagg.EncryptedShares;
import org.comity.aggregation.secagg.KeyDirectory;
import org.comity.aggregation.secagg.MaskedInput;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.RoundAborted;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggParameters;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.aggregation.secagg.ServerMessage;
import org.comity.aggregation.secagg.ShareDelivery;
import org.comity.aggregation.secagg.ThreatModel;
import org.comity.aggregation.secagg.UnmaskRequest;
import org.comity.aggregation.secagg.UnmaskResponse;
import org.comity.aggregation.secagg.server.AggregateResult;
import org.comity.aggregation.secagg.server.Outbound;
import org.comity.aggregation.secagg.server.SecAggServer;
import org.comity.aggregation.secagg.server.ServerAborted;
import org.comity.aggregation.shamir.Share;
import org.comity.plan.SecureAggregationSpec;
import org.comity.proto.v1.SecAggAborted;
import org.comity.proto.v1.SecAggConsistencyCheck;
import org.comity.proto.v1.SecAggDistributedNoise;
import org.comity.proto.v1.SecAggKeyDirectory;
import org.comity.proto.v1.SecAggMemberSignature;
import org.comity.proto.v1.SecAggPublicKeys;
import org.comity.proto.v1.SecAggResult;
import org.comity.proto.v1.SecAggSetup;
import org.comity.proto.v1.SecAggShare;
import org.comity.proto.v1.SecAggShareCiphertext;
import org.comity.proto.v1.SecAggShareDelivery;
import org.comity.proto.v1.SecAggTask;
import org.comity.proto.v1.SecAggUnmaskRequest;

/**
 * The coordinator's side of one secure-aggregation round, between the round engine and the pure
 * {@link SecAggServer}: derives the graph and threshold from the plan's threat model, turns the banks' protobuf
 * results into protocol messages (the sender is always the session's authenticated member, never a field) and the
 * server's outbound messages into tasks. It holds only public keys, ciphertexts, masked vectors and shares; the
 * only plaintext it ever obtains is the unmasked sum.
 *
 * <p>With the plan's consistency check, the round has one more stage (CONSISTENCY_CHECK) between masked input and
 * unmasking; the engine drives it like the others (tasks, one stage deadline). Every bank must then advertise its
 * keys signed, with its certificate: an unsigned advertisement is refused (the banks could not verify its later
 * signatures either). Each bank's consistency signature is verified on receipt with the certificate it advertised
 * its keys with, so a bad signature is refused with the reason instead of being relayed to the other banks.
 */
final class SecureAggregationRound {
  private final SecAggConfig config;
  private final SecAggSetup setup;
  private final SecAggServer server;
  /** Each bank's signature and certificate for its advertised keys, relayed untouched in the key directory. */
  private final java.util.Map<String, SecAggPublicKeys> signedKeys = new java.util.HashMap<>();

  /** Public keys of the members' certificates, parsed once on first use by the consistency check. */
  private final java.util.Map<String, PublicKey> certificateKeys = new java.util.HashMap<>();

  private SecureAggregationRound(SecAggConfig config) {
    this.config = config;
    this.server = config.consistencyCheck() ? new SecAggServer(config, this::verifyConsistencySignature)
        : new SecAggServer(config);
    SecAggSetup.Builder setupBuilder = SecAggSetup.newBuilder().addAllMembers(config.members())
        .setNeighbours(config.parameters().neighbours()).setThreshold(config.threshold())
        .setVectorLength(config.vectorLength()).setClipBound(config.clipBound()).setMaxWeight(config.maxWeight())
        .setConsistencyCheck(config.consistencyCheck());
    if (config.distributedNoise() != null) {
      setupBuilder.setDistributedNoise(SecAggDistributedNoise.newBuilder()
          .setClipNorm(config.distributedNoise().clipNorm())
          .setNoiseMultiplier(config.distributedNoise().noiseMultiplier())
          .setMinQuorum(config.distributedNoise().minQuorum()));
    }
    this.setup = setupBuilder.build();
  }

  /**
   * Sets up the round for the selected banks.
   *
   * @param maxWeight largest weight a bank may encode: the plan's max sample count, or 1 under bank-level DP
   * @param distributedNoise the banks' Skellam noise parameters when the plan places the noise at the banks, else
   *     {@code null}
   * @throws IllegalArgumentException when no graph meets the security bounds for this many banks, the plan's
   *     override breaks them, or the distributed noise cannot fit 32-bit words for this many banks; the message
   *     says why
   */
  static SecureAggregationRound start(int round, List<String> members, SecureAggregationSpec spec, int vectorLength,
      long maxWeight, DistributedNoise distributedNoise) {
    ThreatModel threat = spec.threatModel() == SecureAggregationSpec.ThreatModelName.SEMI_MALICIOUS
        ? ThreatModel.SEMI_MALICIOUS_SERVER : ThreatModel.SEMI_HONEST_SERVER;
    SecAggParameters parameters = spec.neighbours() == null
        ? SecAggParameters.derive(members.size(), spec.corruptFraction(), spec.dropoutRate(), threat)
        : SecAggParameters.validateOverride(members.size(), spec.corruptFraction(), spec.dropoutRate(), threat,
            spec.neighbours(), spec.threshold());
    return new SecureAggregationRound(new SecAggConfig(round, members, parameters, vectorLength, spec.clipBound(),
        maxWeight, spec.consistencyCheck(), distributedNoise));
  }

  SecAggConfig config() {
    return config;
  }

  /** The first task's secure-aggregation part; the engine adds the training task. */
  SecAggTask.Builder startTask() {
    return SecAggTask.newBuilder().setSetup(setup);
  }

  /** The protocol stage, e.g. ADVERTISE_KEYS. */
  String stageName() {
    return server.stage().stageName();
  }

  Optional<AggregateResult> result() {
    return server.result();
  }

  Optional<ServerAborted> aborted() {
    return server.aborted();
  }

  /**
   * Hands one bank's message to the protocol.
   *
   * @return the tasks to send when the stage advanced (empty otherwise)
   * @throws SecAggRejectedException if the protocol refuses it; nothing changed
   * @throws IllegalArgumentException if the message is malformed
   */
  List<Map.Entry<String, SecAggTask>> accept(String member, SecAggResult result) {
    ClientMessage message = decode(member, result);
    if (config.consistencyCheck() && result.hasAdvertiseKeys() && (result.getAdvertiseKeys().getSignature().isEmpty()
        || result.getAdvertiseKeys().getCertificateDer().isEmpty())) {
      throw new IllegalArgumentException(("round %d runs the consistency check, which needs every bank's keys signed "
          + "with its certificate key; %s sent them unsigned (is the agent running without the consortium PKI?)")
          .formatted(config.roundId(), member));
    }
    SecAggPublicKeys before = signedKeys.get(member);
    if (result.hasAdvertiseKeys() && before == null) {
      signedKeys.put(member, result.getAdvertiseKeys());
    }
    try {
      return tasks(server.onMessage(member, message));
    } catch (RuntimeException e) {
      if (before == null) {
        signedKeys.remove(member);
      }
      throw e;
    }
  }

  /** The stage's deadline passed (or everyone it waits for is gone): go on with those who answered, or abort. */
  List<Map.Entry<String, SecAggTask>> deadline() {
    return tasks(server.onDeadline());
  }

  /** Abandons the protocol; returns the abort notices. */
  List<Map.Entry<String, SecAggTask>> abort(String detail) {
    return tasks(server.abort(detail));
  }

  private List<Map.Entry<String, SecAggTask>> tasks(List<Outbound> outbound) {
    List<Map.Entry<String, SecAggTask>> tasks = new ArrayList<>();
    for (Outbound message : outbound) {
      tasks.add(Map.entry(message.recipient(), encode(message.message())));
    }
    return tasks;
  }

  private SecAggTask encode(ServerMessage message) {
    SecAggTask.Builder task = SecAggTask.newBuilder().setSetup(setup);
    if (message instanceof KeyDirectory directory) {
      SecAggKeyDirectory.Builder keys = SecAggKeyDirectory.newBuilder();
      for (AdvertiseKeys advertised : directory.advertised()) {
        SecAggPublicKeys signed = signedKeys.get(advertised.sender());
        keys.addAdvertised(SecAggPublicKeys.newBuilder().setMember(advertised.sender())
            .setEncryptionPublicKey(ByteString.copyFrom(advertised.encryptionPublicKey()))
            .setMaskingPublicKey(ByteString.copyFrom(advertised.maskingPublicKey()))
            .setSignature(signed == null ? ByteString.EMPTY : signed.getSignature())
            .setCertificateDer(signed == null ? ByteString.EMPTY : signed.getCertificateDer()));
      }
      task.setKeyDirectory(keys);
    } else if (message instanceof ShareDelivery delivery) {
      SecAggShareDelivery.Builder shares = SecAggShareDelivery.newBuilder()
          .setSessionId(ByteString.copyFrom(delivery.sessionId()));
      new TreeMap<>(delivery.ciphertextBySender()).forEach((sender, ciphertext) -> shares.addShares(
          SecAggShareCiphertext.newBuilder().setMember(sender).setCiphertext(ByteString.copyFrom(ciphertext))));
      task.setShareDelivery(shares);
    } else if (message instanceof ConsistencyCheckRequest check) {
      task.setConsistencyCheck(SecAggConsistencyCheck.newBuilder().setSessionId(ByteString.copyFrom(check.sessionId()))
          .addAllSurvivors(check.survivors()));
    } else if (message instanceof UnmaskRequest request) {
      SecAggUnmaskRequest.Builder unmask = SecAggUnmaskRequest.newBuilder()
          .setSessionId(ByteString.copyFrom(request.sessionId())).addAllSurvivors(request.survivors())
          .addAllDropped(request.dropped());
      new TreeMap<>(request.signatures()).forEach((signer, signature) -> unmask.addSignatures(
          SecAggMemberSignature.newBuilder().setMember(signer).setSignature(ByteString.copyFrom(signature))));
      task.setUnmaskRequest(unmask);
    } else if (message instanceof RoundAborted aborted) {
      task.setAborted(SecAggAborted.newBuilder().setReason(aborted.reason().name()).setDetail(aborted.detail()));
    } else {
      throw new IllegalStateException("unknown server message " + message.getClass().getSimpleName());
    }
    return task.build();
  }

  private ClientMessage decode(String sender, SecAggResult result) {
    long round = config.roundId();
    switch (result.getStageCase()) {
      case ADVERTISE_KEYS -> {
        SecAggPublicKeys keys = result.getAdvertiseKeys();
        return new AdvertiseKeys(round, sender, keys.getEncryptionPublicKey().toByteArray(),
            keys.getMaskingPublicKey().toByteArray());
      }
      case ENCRYPTED_SHARES -> {
        Map<String, byte[]> byRecipient = new TreeMap<>();
        for (SecAggShareCiphertext share : result.getEncryptedShares().getSharesList()) {
          if (byRecipient.put(share.getMember(), share.getCiphertext().toByteArray()) != null) {
            throw new IllegalArgumentException("two shares for recipient " + share.getMember());
          }
        }
        return new EncryptedShares(round, result.getEncryptedShares().getSessionId().toByteArray(), sender, byRecipient);
      }
      case MASKED_INPUT -> {
        return new MaskedInput(round, result.getMaskedInput().getSessionId().toByteArray(), sender,
            result.getMaskedInput().getMaskedWords().toByteArray());
      }
      case CONSISTENCY_SIGNATURE -> {
        var signed = result.getConsistencySignature();
        // Checked before copying: the signature is relayed to every signer in the unmask request.
        if (signed.getSignature().isEmpty() || signed.getSignature().size() > ConsistencyStatement.MAX_SIGNATURE_LENGTH) {
          throw new SecAggRejectedException(RejectionReason.WRONG_SIZE, "consistency signature is %d bytes, allowed 1 to %d"
              .formatted(signed.getSignature().size(), ConsistencyStatement.MAX_SIGNATURE_LENGTH));
        }
        return new ConsistencyCheckResponse(round, signed.getSessionId().toByteArray(), sender,
            signed.getSignature().toByteArray());
      }
      case UNMASK_RESPONSE -> {
        var response = result.getUnmaskResponse();
        return new UnmaskResponse(round, response.getSessionId().toByteArray(), sender,
            shares(response.getSelfMaskSeedSharesList()), shares(response.getMaskingKeySharesList()));
      }
      default -> throw new IllegalArgumentException("the secure-aggregation result carries no message");
    }
  }

  /**
   * The consistency check's verifier: {@code member}'s signature must verify with the public key of the
   * certificate it advertised its keys with (which every bank checked against the consortium CA). False for a
   * member without one, an unreadable certificate or a malformed signature.
   */
  private boolean verifyConsistencySignature(String member, byte[] statement, byte[] signature) {
    PublicKey key = certificateKeys.computeIfAbsent(member, this::certificateKeyOf);
    if (key == null) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(switch (key.getAlgorithm()) {
        case "EC", "ECDSA" -> "SHA256withECDSA";
        case "RSA" -> "SHA256withRSA";
        default -> throw new NoSuchAlgorithmException("unsupported certificate key " + key.getAlgorithm());
      });
      verifier.initVerify(key);
      verifier.update(statement);
      return verifier.verify(signature);
    } catch (GeneralSecurityException malformed) {
      return false; // the stage refuses the message with INVALID_SIGNATURE
    }
  }

  private PublicKey certificateKeyOf(String member) {
    SecAggPublicKeys signed = signedKeys.get(member);
    if (signed == null || signed.getCertificateDer().isEmpty()) {
      return null;
    }
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(signed.getCertificateDer().toByteArray())).getPublicKey();
    } catch (GeneralSecurityException unreadable) {
      return null;
    }
  }

  private static Map<String, Share> shares(List<SecAggShare> shares) {
    Map<String, Share> byOwner = new TreeMap<>();
    for (SecAggShare share : shares) {
      if (byOwner.put(share.getOwner(), new Share(share.getX(), SecretBytes.copyOf(share.getY().toByteArray()))) != null) {
        throw new IllegalArgumentException("two shares for owner " + share.getOwner());
      }
    }
    return byOwner;
  }
}
