package org.comity.agent.runtime;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.comity.agent.pki.SecAggKeySigner;
import org.comity.aggregation.secagg.AbortReason;
import org.comity.aggregation.secagg.AdvertiseKeys;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.ConsistencyCheckRequest;
import org.comity.aggregation.secagg.ConsistencyCheckResponse;
import org.comity.aggregation.secagg.ConsistencyVerifier;
import org.comity.aggregation.secagg.DistributedNoise;
import org.comity.aggregation.secagg.EncryptedShares;
import org.comity.aggregation.secagg.KeyDirectory;
import org.comity.aggregation.secagg.MaskedInput;
import org.comity.aggregation.secagg.RoundAborted;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggParameters;
import org.comity.aggregation.secagg.ServerMessage;
import org.comity.aggregation.secagg.ShareDelivery;
import org.comity.aggregation.secagg.ThreatModel;
import org.comity.aggregation.secagg.UnmaskRequest;
import org.comity.aggregation.secagg.UnmaskResponse;
import org.comity.aggregation.secagg.client.ClientInput;
import org.comity.aggregation.secagg.client.SecAggClient;
import org.comity.aggregation.shamir.Share;
import org.comity.plan.SecureAggregationSpec;
import org.comity.proto.v1.SecAggConsistencySignature;
import org.comity.proto.v1.SecAggDistributedNoise;
import org.comity.proto.v1.SecAggMemberSignature;
import org.comity.proto.v1.SecAggPublicKeys;
import org.comity.proto.v1.SecAggResult;
import org.comity.proto.v1.SecAggSetup;
import org.comity.proto.v1.SecAggShare;
import org.comity.proto.v1.SecAggShareCiphertext;
import org.comity.proto.v1.SecAggTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bank's side of secure aggregation: one {@link SecAggClient} per round, fed the coordinator's stage
 * messages. The bank's update enters only through {@link #start} and leaves only masked.
 *
 * <p>The bank does not take the coordinator's word for the protocol's parameters: it derives the neighbour
 * count and threshold from its own copy of the plan for the announced number of banks and refuses a setup that
 * differs, so a coordinator cannot lower the threshold to unmask a single bank.
 *
 * <p>With distributed bank-level DP noise ({@code privacy.bank_level.noise_placement: distributed}) the bank adds its
 * share of Skellam noise to its encoded update before masking, from its own {@code SecureRandom} (never from the
 * training seed, which the coordinator chose), with parameters derived from its own plan: a setup announcing other
 * noise parameters, or none, is refused, so a coordinator cannot have the banks add less noise than the plan says.
 *
 * <p>With the plan's consistency check, the bank signs the survivor set with its certificate key and checks the
 * other banks' signatures with their certificates from the round's key directory (verified against the consortium
 * CA and bound to their member ids there), so it needs the consortium PKI.
 */
final class SecureAggregationParticipant {
  private static final Logger log = LoggerFactory.getLogger(SecureAggregationParticipant.class);

  private final String memberId;
  private final SecureAggregationSpec spec;
  private final int vectorLength;
  private final long maxWeight;
  /** The plan's distributed-noise parameters, or {@code null} when the banks add no noise. */
  private final DistributedNoise distributedNoise;
  /** With the consortium PKI: signs this bank's keys and checks the others'; {@code null} without (simulations). */
  private final SecAggKeySigner signer;
  private final SecureRandom random = new SecureRandom();
  private final Map<Integer, SecAggClient> clients = new HashMap<>();
  /**
   * Per round: the certificates of the key directory's members, verified against the consortium CA and bound to
   * their member ids; the consistency check verifies the members' signatures with exactly these.
   */
  private final Map<Integer, Map<String, X509Certificate>> verifiedCertificates = new HashMap<>();
  /**
   * The survivor set of each round (run id / round) whose unmasking stage this bank has answered. A round retried
   * after a coordinator restart reuses the bank's kept update under fresh masks. Two unmasked sums of the same
   * update over different survivor sets would let a coordinator subtract them and isolate one bank's update, so a
   * bank unmasks a round again only for the very same survivors (the same sum, nothing new).
   */
  private final Map<String, List<String>> unmaskedSurvivors = new HashMap<>();

  /**
   * @param maxWeight the largest weight a bank encodes: the plan's max sample count, or 1 under bank-level DP
   */
  SecureAggregationParticipant(String memberId, SecureAggregationSpec spec, int vectorLength, long maxWeight,
      SecAggKeySigner signer) {
    this(memberId, spec, vectorLength, maxWeight, signer, null);
  }

  /**
   * @param maxWeight the largest weight a bank encodes: the plan's max sample count, or 1 under bank-level DP
   * @param distributedNoise the plan's distributed-noise parameters, or {@code null} when the banks add no noise
   */
  SecureAggregationParticipant(String memberId, SecureAggregationSpec spec, int vectorLength, long maxWeight,
      SecAggKeySigner signer, DistributedNoise distributedNoise) {
    if (spec.enabled() && spec.consistencyCheck() && signer == null) {
      throw new IllegalArgumentException("the plan runs secure aggregation with the consistency check "
          + "(secure_aggregation.consistency_check), where each bank signs the survivor set with its certificate key; "
          + "this agent has no certificate key: run it with --tls-ca, --tls-cert and --tls-key (the consortium PKI), "
          + "or use a plan with consistency_check: false");
    }
    this.signer = signer;
    this.memberId = memberId;
    this.spec = spec;
    this.vectorLength = vectorLength;
    this.maxWeight = maxWeight;
    this.distributedNoise = distributedNoise;
  }

  /**
   * Starts the round's protocol with this bank's update and returns its advertised keys. The rounding coins follow
   * {@code roundingSeed} (the training task's seed), so a retried round encodes the kept update identically.
   *
   * @throws IllegalArgumentException if the setup is not what the plan implies
   */
  SecAggPublicKeys start(String runId, int round, SecAggSetup setup, float[] update, long sampleCount,
      long roundingSeed) {
    SecAggConfig config = verifiedConfig(round, setup);
    clients.keySet().removeIf(r -> r < round);
    verifiedCertificates.keySet().removeIf(r -> r <= round);
    double[] values = new double[update.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = update[i];
    }
    SecAggClient client = config.consistencyCheck()
        ? new SecAggClient(config, memberId, random, signer::signStatement, consistencyVerifier(round))
        : new SecAggClient(config, memberId, random);
    AdvertiseKeys keys = client.start(new ClientInput(values, sampleCount, roundingSeed));
    clients.put(round, client);
    log.info("round {}: secure aggregation with {} banks, {} neighbours, threshold {}", round, config.members().size(),
        config.parameters().neighbours(), config.threshold());
    SecAggPublicKeys.Builder advertised = SecAggPublicKeys.newBuilder().setMember(memberId)
        .setEncryptionPublicKey(ByteString.copyFrom(keys.encryptionPublicKey()))
        .setMaskingPublicKey(ByteString.copyFrom(keys.maskingPublicKey()));
    if (signer != null) {
      advertised.setSignature(ByteString.copyFrom(signer.sign(runId, round, memberId, keys.encryptionPublicKey(),
          keys.maskingPublicKey()))).setCertificateDer(ByteString.copyFrom(signer.certificateDer()));
    }
    return advertised.build();
  }

  /**
   * Answers a later stage's message; empty when there is nothing to send (the round ended or was aborted).
   *
   * @throws IllegalArgumentException or the protocol's rejection if the message is refused; the round's client is
   *     then discarded
   */
  Optional<SecAggResult> onStage(String runId, int round, SecAggTask task) {
    SecAggClient client = clients.get(round);
    if (client == null) {
      throw new IllegalArgumentException("no secure-aggregation state for round " + round
          + " (this agent restarted or the round was aborted)");
    }
    try {
      Map<String, X509Certificate> directoryCertificates = null;
      if (signer != null && task.hasKeyDirectory()) {
        Map<String, X509Certificate> certificates = new HashMap<>();
        for (SecAggPublicKeys peer : task.getKeyDirectory().getAdvertisedList()) {
          certificates.put(peer.getMember(), signer.verify(runId, round, peer.getMember(),
              peer.getEncryptionPublicKey().toByteArray(), peer.getMaskingPublicKey().toByteArray(),
              peer.getSignature().toByteArray(), peer.getCertificateDer().toByteArray()));
        }
        // Only a directory the protocol also accepts may set the certificates; a refused one leaves them unset.
        directoryCertificates = Map.copyOf(certificates);
      }
      ServerMessage message = decode(round, task);
      if (message instanceof UnmaskRequest request) {
        List<String> survivors = request.survivors().stream().sorted().toList();
        List<String> before = unmaskedSurvivors.putIfAbsent(runId + "/" + round, survivors);
        if (before != null && !before.equals(survivors)) {
          throw new IllegalArgumentException(("this bank already unmasked round %d of run %s for the survivors %s; it "
              + "refuses another survivor set %s: two sums over different sets would isolate a bank's update")
              .formatted(round, runId, before, survivors));
        }
      }
      if (message instanceof RoundAborted aborted) {
        clients.remove(round);
        verifiedCertificates.remove(round);
        log.info("round {}: secure aggregation aborted by the coordinator: {} {}", round, aborted.reason(), aborted.detail());
        return Optional.empty();
      }
      Optional<ClientMessage> reply = client.onMessage(message);
      if (directoryCertificates != null) {
        verifiedCertificates.put(round, directoryCertificates);
      }
      if (message instanceof UnmaskRequest) {
        clients.remove(round);
        verifiedCertificates.remove(round);
      }
      return reply.map(SecureAggregationParticipant::encode);
    } catch (RuntimeException e) {
      clients.remove(round);
      verifiedCertificates.remove(round);
      client.abort(e.getMessage());
      throw e;
    }
  }

  /**
   * Verifies a member's consistency-check signature with the certificate that member advertised its keys with in
   * this round's key directory; a member without one (not in the directory) has no valid signature.
   */
  private ConsistencyVerifier consistencyVerifier(int round) {
    return (member, statement, signature) -> {
      X509Certificate certificate = verifiedCertificates.getOrDefault(round, Map.of()).get(member);
      return certificate != null && SecAggKeySigner.verifyStatement(certificate, statement, signature);
    };
  }

  private SecAggConfig verifiedConfig(int round, SecAggSetup setup) {
    List<String> members = setup.getMembersList();
    if (!members.contains(memberId)) {
      throw new IllegalArgumentException("this bank is not among the round's members " + members);
    }
    if (setup.getVectorLength() != vectorLength) {
      throw new IllegalArgumentException("vector length %d differs from the plan's %d"
          .formatted(setup.getVectorLength(), vectorLength));
    }
    if (setup.getClipBound() != spec.clipBound() || setup.getMaxWeight() != maxWeight) {
      throw new IllegalArgumentException("clip bound or max sample count differ from the plan's");
    }
    ThreatModel threat = spec.threatModel() == SecureAggregationSpec.ThreatModelName.SEMI_MALICIOUS
        ? ThreatModel.SEMI_MALICIOUS_SERVER : ThreatModel.SEMI_HONEST_SERVER;
    SecAggParameters expected = spec.neighbours() == null
        ? SecAggParameters.derive(members.size(), spec.corruptFraction(), spec.dropoutRate(), threat)
        : SecAggParameters.validateOverride(members.size(), spec.corruptFraction(), spec.dropoutRate(), threat,
            spec.neighbours(), spec.threshold());
    if (expected.neighbours() != setup.getNeighbours() || expected.threshold() != setup.getThreshold()) {
      throw new IllegalArgumentException(("the coordinator announced %d neighbours and threshold %d, but the plan "
          + "implies %d and %d for %d banks").formatted(setup.getNeighbours(), setup.getThreshold(),
          expected.neighbours(), expected.threshold(), members.size()));
    }
    if (setup.getConsistencyCheck() != spec.consistencyCheck()) {
      // A coordinator that drops the check could show banks different survivor sets; one that adds it would only
      // fail later, so both are refused now with the reason.
      throw new IllegalArgumentException("the coordinator announced the consistency check %s, but the plan has it %s"
          .formatted(setup.getConsistencyCheck() ? "on" : "off", spec.consistencyCheck() ? "on" : "off"));
    }
    DistributedNoise announced = setup.hasDistributedNoise() ? announcedNoise(setup.getDistributedNoise()) : null;
    if (!java.util.Objects.equals(announced, distributedNoise)) {
      // Less noise than the plan says would spend privacy the ledger does not count; more would hurt the model.
      throw new IllegalArgumentException("the coordinator announced %s, but the plan implies %s"
          .formatted(describe(announced), describe(distributedNoise)));
    }
    return new SecAggConfig(round, members, expected, vectorLength, spec.clipBound(), maxWeight,
        spec.consistencyCheck(), distributedNoise);
  }

  private static DistributedNoise announcedNoise(SecAggDistributedNoise noise) {
    try {
      return new DistributedNoise(noise.getClipNorm(), noise.getNoiseMultiplier(), noise.getMinQuorum());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the coordinator announced invalid distributed noise: " + e.getMessage(), e);
    }
  }

  private static String describe(DistributedNoise noise) {
    return noise == null ? "no distributed noise"
        : "distributed noise with clip norm %s, noise multiplier %s and min quorum %d"
            .formatted(noise.clipNorm(), noise.noiseMultiplier(), noise.minQuorum());
  }

  private static ServerMessage decode(int round, SecAggTask task) {
    switch (task.getStageCase()) {
      case KEY_DIRECTORY -> {
        List<AdvertiseKeys> keys = new ArrayList<>();
        for (SecAggPublicKeys advertised : task.getKeyDirectory().getAdvertisedList()) {
          keys.add(new AdvertiseKeys(round, advertised.getMember(), advertised.getEncryptionPublicKey().toByteArray(),
              advertised.getMaskingPublicKey().toByteArray()));
        }
        return new KeyDirectory(round, keys);
      }
      case SHARE_DELIVERY -> {
        Map<String, byte[]> bySender = new TreeMap<>();
        for (SecAggShareCiphertext share : task.getShareDelivery().getSharesList()) {
          bySender.put(share.getMember(), share.getCiphertext().toByteArray());
        }
        return new ShareDelivery(round, task.getShareDelivery().getSessionId().toByteArray(), bySender);
      }
      case CONSISTENCY_CHECK -> {
        var check = task.getConsistencyCheck();
        return new ConsistencyCheckRequest(round, check.getSessionId().toByteArray(), check.getSurvivorsList());
      }
      case UNMASK_REQUEST -> {
        var request = task.getUnmaskRequest();
        Map<String, byte[]> signatures = new TreeMap<>();
        for (SecAggMemberSignature signature : request.getSignaturesList()) {
          if (signatures.put(signature.getMember(), signature.getSignature().toByteArray()) != null) {
            throw new IllegalArgumentException("the unmask request carries two signatures by " + signature.getMember());
          }
        }
        return new UnmaskRequest(round, request.getSessionId().toByteArray(), request.getSurvivorsList(),
            request.getDroppedList(), signatures);
      }
      case ABORTED -> {
        AbortReason reason;
        try {
          reason = AbortReason.valueOf(task.getAborted().getReason());
        } catch (IllegalArgumentException e) {
          reason = AbortReason.values()[0];
        }
        return new RoundAborted(round, reason, task.getAborted().getDetail());
      }
      default -> throw new IllegalArgumentException("unexpected secure-aggregation stage " + task.getStageCase());
    }
  }

  private static SecAggResult encode(ClientMessage message) {
    SecAggResult.Builder result = SecAggResult.newBuilder();
    if (message instanceof EncryptedShares shares) {
      var upload = org.comity.proto.v1.SecAggEncryptedShares.newBuilder()
          .setSessionId(ByteString.copyFrom(shares.sessionId()));
      new TreeMap<>(shares.ciphertextByRecipient()).forEach((recipient, ciphertext) -> upload.addShares(
          SecAggShareCiphertext.newBuilder().setMember(recipient).setCiphertext(ByteString.copyFrom(ciphertext))));
      result.setEncryptedShares(upload);
    } else if (message instanceof MaskedInput masked) {
      result.setMaskedInput(org.comity.proto.v1.SecAggMaskedInput.newBuilder()
          .setSessionId(ByteString.copyFrom(masked.sessionId()))
          .setMaskedWords(ByteString.copyFrom(masked.maskedWords())));
    } else if (message instanceof ConsistencyCheckResponse signed) {
      result.setConsistencySignature(SecAggConsistencySignature.newBuilder()
          .setSessionId(ByteString.copyFrom(signed.sessionId())).setSignature(ByteString.copyFrom(signed.signature())));
    } else if (message instanceof UnmaskResponse response) {
      var unmask = org.comity.proto.v1.SecAggUnmaskResponse.newBuilder()
          .setSessionId(ByteString.copyFrom(response.sessionId()));
      response.selfMaskSeedShares().forEach((owner, share) -> unmask.addSelfMaskSeedShares(share(owner, share)));
      response.maskingKeyShares().forEach((owner, share) -> unmask.addMaskingKeyShares(share(owner, share)));
      result.setUnmaskResponse(unmask);
    } else {
      throw new IllegalStateException("unexpected client message " + message.getClass().getSimpleName());
    }
    return result.build();
  }

  private static SecAggShare share(String owner, Share share) {
    return SecAggShare.newBuilder().setOwner(owner).setX(share.x())
        .setY(ByteString.copyFrom(share.y().copyOfSecret())).build();
  }
}
