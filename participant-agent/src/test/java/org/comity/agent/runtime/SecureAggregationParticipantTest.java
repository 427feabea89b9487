package org.comity.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.comity.aggregation.secagg.SecAggParameters;
import org.comity.aggregation.secagg.ThreatModel;
import org.comity.plan.SecureAggregationSpec;
import org.comity.proto.v1.SecAggSetup;
import org.junit.jupiter.api.Test;

/** The bank's guards around the consistency check: it needs a certificate key and the plan's own setting. */
class SecureAggregationParticipantTest {
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
        () -> bank.start("run-1", 1, setup, new float[4], 10));
    assertTrue(e.getMessage().contains("consistency check on, but the plan has it off"), e.getMessage());
  }
}
