package org.comity.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.comity.agent.pki.EnrolledBanks;
import org.comity.agent.pki.SecAggKeySigner;
import org.comity.aggregation.secagg.DistributedNoise;
import org.comity.aggregation.secagg.SecAggParameters;
import org.comity.aggregation.secagg.ThreatModel;
import org.comity.plan.SecureAggregationSpec;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.proto.v1.SecAggConsistencyCheck;
import org.comity.proto.v1.SecAggDistributedNoise;
import org.comity.proto.v1.SecAggKeyDirectory;
import org.comity.proto.v1.SecAggMemberSignature;
import org.comity.proto.v1.SecAggPublicKeys;
import org.comity.proto.v1.SecAggResult;
import org.comity.proto.v1.SecAggSetup;
import org.comity.proto.v1.SecAggShareCiphertext;
import org.comity.proto.v1.SecAggShareDelivery;
import org.comity.proto.v1.SecAggTask;
import org.comity.proto.v1.SecAggUnmaskRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bank's guards around the consistency check: it needs a certificate key and the plan's own setting. */
class SecureAggregationParticipantTest {
  @TempDir
  Path dir;

  private static SecureAggregationSpec spec(SecureAggregationSpec.ThreatModelName threat, boolean check) {
    return new SecureAggregationSpec(true, 0.0, 0.1, threat, null, null, 2.0, 1000, Duration.ofSeconds(5), check);
  }

  @Test
  void planWithTheConsistencyCheck_withoutACertificateKey_isRefusedSayingWhatToDo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SecureAggregationParticipant(
        "bank-a", spec(SecureAggregationSpec.ThreatModelName.SEMI_MALICIOUS, true), 4, 1000, null));
    assertTrue(e.getMessage().contains("consistency_check") && e.getMessage().contains("--tls-cert"), e.getMessage());
  }

  @Test
  void setupWhoseConsistencyCheckDiffersFromThePlan_isRefused() {
    // given: a bank whose plan has the check off, and a coordinator that announces it on
    SecureAggregationParticipant bank = new SecureAggregationParticipant("bank-a",
        spec(SecureAggregationSpec.ThreatModelName.SEMI_HONEST, false), 4, 1000, null);
    List<String> members = List.of("bank-a", "bank-b", "bank-c");
    SecAggParameters p = SecAggParameters.derive(3, 0.0, 0.1, ThreatModel.SEMI_HONEST_SERVER);
    SecAggSetup setup = SecAggSetup.newBuilder().addAllMembers(members).setNeighbours(p.neighbours())
        .setThreshold(p.threshold()).setVectorLength(4).setClipBound(2.0).setMaxWeight(1000).setConsistencyCheck(true)
        .build();
    // then
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bank.start("run-1", 1, setup, new float[4], 10, 7L));
    assertTrue(e.getMessage().contains("consistency check on, but the plan has it off"), e.getMessage());
  }

  @Test
  void setupWhoseDistributedNoiseDiffersFromThePlan_isRefused_andTheSameNoiseIsAccepted() {
    // given: a bank whose plan places Skellam noise at the banks (clip 0.5, z 1.1, quorum 3)
    DistributedNoise planned = new DistributedNoise(0.5, 1.1, 3);
    List<String> members = List.of("bank-a", "bank-b", "bank-c");
    SecAggParameters p = SecAggParameters.derive(3, 0.0, 0.1, ThreatModel.SEMI_HONEST_SERVER);
    SecAggSetup.Builder base = SecAggSetup.newBuilder().addAllMembers(members).setNeighbours(p.neighbours())
        .setThreshold(p.threshold()).setVectorLength(4).setClipBound(2.0).setMaxWeight(1);
    SecAggDistributedNoise same = SecAggDistributedNoise.newBuilder().setClipNorm(0.5).setNoiseMultiplier(1.1)
        .setMinQuorum(3).build();
    Map<String, SecAggSetup> refused = Map.of(
        "no noise", base.clone().build(),
        "a smaller noise multiplier", base.clone().setDistributedNoise(same.toBuilder().setNoiseMultiplier(0.1)).build(),
        "a larger clip norm", base.clone().setDistributedNoise(same.toBuilder().setClipNorm(5)).build(),
        "a larger quorum", base.clone().setDistributedNoise(same.toBuilder().setMinQuorum(30)).build());
    for (Map.Entry<String, SecAggSetup> setup : refused.entrySet()) {
      SecureAggregationParticipant bank = new SecureAggregationParticipant("bank-a",
          spec(SecureAggregationSpec.ThreatModelName.SEMI_HONEST, false), 4, 1, null, planned);
      // then
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> bank.start("run-1", 1, setup.getValue(), new float[4], 1, 7L), setup.getKey());
      assertTrue(e.getMessage().contains("but the plan implies distributed noise with clip norm 0.5, noise "
          + "multiplier 1.1 and min quorum 3"), e.getMessage());
    }
    SecureAggregationParticipant bank = new SecureAggregationParticipant("bank-a",
        spec(SecureAggregationSpec.ThreatModelName.SEMI_HONEST, false), 4, 1, null, planned);
    SecAggPublicKeys keys = bank.start("run-1", 1, base.clone().setDistributedNoise(same).build(), new float[4], 1, 7L);
    assertEquals("bank-a", keys.getMember());
    // and a bank without distributed noise refuses a setup that asks for it
    SecureAggregationParticipant plain = new SecureAggregationParticipant("bank-a",
        spec(SecureAggregationSpec.ThreatModelName.SEMI_HONEST, false), 4, 1, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> plain.start("run-1", 1, base.clone().setDistributedNoise(same).build(), new float[4], 1, 7L));
    assertTrue(e.getMessage().contains("but the plan implies no distributed noise"), e.getMessage());
  }

  @Test
  void withTheCheck_banksSignWithTheirCertificateKeys_andUnmaskOnlyWithThresholdSignaturesVerifiedByTheirCertificates()
      throws Exception {
    // given: three enrolled banks with the check on, played by hand up to the consistency check
    List<String> members = List.of("bank-a", "bank-b", "bank-c");
    Map<String, SecAggKeySigner> signers = EnrolledBanks.enrol(dir, members.toArray(String[]::new));
    SecureAggregationSpec spec = spec(SecureAggregationSpec.ThreatModelName.SEMI_MALICIOUS, true);
    SecAggParameters p = SecAggParameters.derive(3, 0.0, 0.1, ThreatModel.SEMI_MALICIOUS_SERVER);
    SecAggSetup setup = SecAggSetup.newBuilder().addAllMembers(members).setNeighbours(p.neighbours())
        .setThreshold(p.threshold()).setVectorLength(4).setClipBound(2.0).setMaxWeight(1000).setConsistencyCheck(true)
        .build();
    Map<String, SecureAggregationParticipant> banks = new LinkedHashMap<>();
    List<SecAggPublicKeys> advertised = new ArrayList<>();
    for (String m : members) {
      banks.put(m, new SecureAggregationParticipant(m, spec, 4, 1000, signers.get(m)));
      advertised.add(banks.get(m).start("run-1", 1, setup, new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 10, 7L + m.hashCode()));
    }
    SecAggTask directory = SecAggTask.newBuilder().setSetup(setup)
        .setKeyDirectory(SecAggKeyDirectory.newBuilder().addAllAdvertised(advertised)).build();
    Map<String, SecAggResult> shares = new LinkedHashMap<>();
    for (String m : members) {
      shares.put(m, banks.get(m).onStage("run-1", 1, directory).orElseThrow());
    }
    ByteString session = shares.get("bank-a").getEncryptedShares().getSessionId();
    for (String recipient : members) {
      SecAggShareDelivery.Builder delivery = SecAggShareDelivery.newBuilder().setSessionId(session);
      shares.forEach((sender, result) -> result.getEncryptedShares().getSharesList().stream()
          .filter(s -> s.getMember().equals(recipient)).forEach(s -> delivery.addShares(
              SecAggShareCiphertext.newBuilder().setMember(sender).setCiphertext(s.getCiphertext()))));
      assertTrue(banks.get(recipient).onStage("run-1", 1, SecAggTask.newBuilder().setSetup(setup)
          .setShareDelivery(delivery).build()).orElseThrow().hasMaskedInput());
    }
    SecAggTask check = SecAggTask.newBuilder().setSetup(setup).setConsistencyCheck(SecAggConsistencyCheck.newBuilder()
        .setSessionId(session).addAllSurvivors(members)).build();
    Map<String, ByteString> signatures = new LinkedHashMap<>();
    for (String m : members) {
      signatures.put(m, banks.get(m).onStage("run-1", 1, check).orElseThrow().getConsistencySignature().getSignature());
    }
    // when: bank-a is shown bank-b's genuine signature and bank-c's with one bit flipped (1 valid, threshold 2)
    byte[] flipped = signatures.get("bank-c").toByteArray();
    flipped[flipped.length / 2] ^= 1;
    SecAggTask forged = unmask(setup, session, members, Map.of("bank-b", signatures.get("bank-b"),
        "bank-c", ByteString.copyFrom(flipped)));
    // then
    SecAggRejectedException refused = assertThrows(SecAggRejectedException.class,
        () -> banks.get("bank-a").onStage("run-1", 1, forged));
    assertTrue(refused.getMessage().contains("1 valid signatures"), refused.getMessage());
    // and bank-b, shown bank-a's and bank-c's genuine signatures, unmasks
    SecAggResult response = banks.get("bank-b").onStage("run-1", 1, unmask(setup, session, members,
        Map.of("bank-a", signatures.get("bank-a"), "bank-c", signatures.get("bank-c")))).orElseThrow();
    assertEquals(3, response.getUnmaskResponse().getSelfMaskSeedSharesCount());
  }

  private static SecAggTask unmask(SecAggSetup setup, ByteString session, List<String> survivors,
      Map<String, ByteString> signatures) {
    SecAggUnmaskRequest.Builder request = SecAggUnmaskRequest.newBuilder().setSessionId(session)
        .addAllSurvivors(survivors);
    signatures.forEach((member, signature) -> request.addSignatures(SecAggMemberSignature.newBuilder()
        .setMember(member).setSignature(signature)));
    return SecAggTask.newBuilder().setSetup(setup).setUnmaskRequest(request).build();
  }
}
