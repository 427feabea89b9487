package org.comity.coordinator.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import org.comity.aggregation.secagg.ConsistencyStatement;
import org.comity.aggregation.secagg.RejectionReason;
import org.comity.aggregation.secagg.SecAggRejectedException;
import org.comity.plan.SecureAggregationSpec;
import org.comity.proto.v1.SecAggConsistencySignature;
import org.comity.proto.v1.SecAggPublicKeys;
import org.comity.proto.v1.SecAggResult;
import org.junit.jupiter.api.Test;

/** The coordinator's guards around the consistency check (the full stage runs in the simulation's PKI test). */
class SecureAggregationRoundTest {
  private static final List<String> BANKS = List.of("bank-a", "bank-b", "bank-c");

  private static SecureAggregationRound round(boolean check) {
    SecureAggregationSpec spec = new SecureAggregationSpec(true, 0.0, 0.1,
        SecureAggregationSpec.ThreatModelName.SEMI_MALICIOUS, null, null, 2.0, 1000, Duration.ofSeconds(5), check);
    return SecureAggregationRound.start(1, BANKS, spec, 4, 1000, null);
  }

  private static SecAggResult unsignedKeys() {
    byte[] encryption = new byte[32];
    byte[] masking = new byte[32];
    encryption[0] = 9;
    masking[0] = 10;
    return SecAggResult.newBuilder().setAdvertiseKeys(SecAggPublicKeys.newBuilder().setMember("bank-a")
        .setEncryptionPublicKey(ByteString.copyFrom(encryption)).setMaskingPublicKey(ByteString.copyFrom(masking)))
        .build();
  }

  @Test
  void theSetupAnnouncesThePlansConsistencyCheck() {
    assertTrue(round(true).startTask().getSetup().getConsistencyCheck());
    assertTrue(!round(false).startTask().getSetup().getConsistencyCheck());
    assertTrue(round(true).config().consistencyCheck());
  }

  @Test
  void withTheCheck_unsignedKeys_areRefusedNamingTheBank_andWithoutItAccepted() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> round(true).accept("bank-a", unsignedKeys()));
    assertTrue(e.getMessage().contains("bank-a sent them unsigned"), e.getMessage());
    SecureAggregationRound plain = round(false);
    plain.accept("bank-a", unsignedKeys());
    assertEquals("ADVERTISE_KEYS", plain.stageName());
  }

  @Test
  void anEmptyOrOversizedConsistencySignature_isRefusedBeforeItIsRead() {
    for (int size : new int[] {0, ConsistencyStatement.MAX_SIGNATURE_LENGTH + 1}) {
      SecAggResult result = SecAggResult.newBuilder().setConsistencySignature(SecAggConsistencySignature.newBuilder()
          .setSessionId(ByteString.copyFrom(new byte[32])).setSignature(ByteString.copyFrom(new byte[size]))).build();
      SecAggRejectedException e = assertThrows(SecAggRejectedException.class, () -> round(true).accept("bank-a", result));
      assertEquals(RejectionReason.WRONG_SIZE, e.reason(), e.getMessage());
    }
  }
}
