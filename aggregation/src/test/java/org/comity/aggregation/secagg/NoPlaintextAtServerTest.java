package org.comity.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.comity.aggregation.secagg.client.ClientInput;
import org.comity.aggregation.secagg.server.CollectingKeys;
import org.comity.aggregation.secagg.server.CollectingMaskedInputs;
import org.comity.aggregation.secagg.server.CollectingShares;
import org.comity.aggregation.secagg.server.CollectingUnmaskResponses;
import org.comity.aggregation.secagg.server.SecAggServer;
import org.comity.aggregation.secagg.server.ServerAborted;
import org.junit.jupiter.api.Test;

/** The coordinator never sees one bank's plaintext, and cannot unmask with fewer than t shares. */
class NoPlaintextAtServerTest {

  @Test
  void maskedInput_ofConstantUpdate_isStatisticallyUniform() {
    // given: three banks, one of which sends an all-zero update (its plaintext encoding is constant)
    int length = 4096;
    List<String> banks = RoundHarness.bankIds(3);
    SecAggConfig config = new SecAggConfig(3, banks, new SecAggParameters(2, 2), length, 1.0, 10);
    Map<String, ClientInput> inputs = RoundHarness.randomInputs(banks, length, 10, 5);
    inputs.put("bank-00", new ClientInput(new double[length], 10));
    // when
    RoundHarness.Outcome outcome = RoundHarness.run(config, inputs, Map.of(), 5);
    byte[] masked = outcome.coordinatorInbox().stream()
        .filter(m -> m instanceof MaskedInput mi && mi.sender().equals("bank-00"))
        .map(m -> ((MaskedInput) m).maskedWords()).findFirst().orElseThrow();
    // then: byte chi-square (df 255: mean 255, sd 22.6) and per-bit balance within 6 sd
    assertTrue(chiSquare(masked) < 255 + 6 * 22.6, "chi-square " + chiSquare(masked));
    assertBitsBalanced(masked);
    // and the same statistics reject the unmasked encoding, so the check has power
    int[] plain = config.encoding().encode(new double[length], 10, RoundHarness.seeded(1), RoundHarness.seeded(2));
    assertTrue(chiSquare(ProtocolCrypto.packWords(plain)) > 10_000);
    assertTrue(outcome.result().isPresent());
  }

  private static double chiSquare(byte[] data) {
    int[] counts = new int[256];
    for (byte b : data) {
      counts[b & 0xff]++;
    }
    double expected = data.length / 256.0;
    double chi = 0;
    for (int c : counts) {
      chi += (c - expected) * (c - expected) / expected;
    }
    return chi;
  }

  private static void assertBitsBalanced(byte[] data) {
    int[] words = ProtocolCrypto.unpackWords(data);
    double sd = Math.sqrt(words.length / 4.0);
    for (int bit = 0; bit < 32; bit++) {
      int ones = 0;
      for (int w : words) {
        ones += (w >>> bit) & 1;
      }
      assertTrue(Math.abs(ones - words.length / 2.0) < 6 * sd, "bit " + bit + ": " + ones + " ones of " + words.length);
    }
  }

  @Test
  void unmask_withFewerThanThresholdShares_abortsWithoutResult() {
    // given: 5 banks, threshold 3; only two survivors answer the unmask request
    List<String> banks = RoundHarness.bankIds(5);
    SecAggConfig config = new SecAggConfig(4, banks, new SecAggParameters(4, 3), 8, 1.0, 10);
    Map<String, RoundHarness.DropStage> drops = new HashMap<>();
    drops.put("bank-02", RoundHarness.DropStage.UNMASK);
    drops.put("bank-03", RoundHarness.DropStage.UNMASK);
    drops.put("bank-04", RoundHarness.DropStage.UNMASK);
    // when
    RoundHarness.Outcome outcome = RoundHarness.run(config, RoundHarness.randomInputs(banks, 8, 10, 6), drops, 6);
    // then
    assertTrue(outcome.result().isEmpty());
    ServerAborted aborted = outcome.aborted().orElseThrow();
    assertEquals(AbortReason.TOO_FEW_UNMASK_RESPONSES, aborted.reason());
    assertTrue(aborted.detail().contains("2 shares received, threshold is 3"), aborted.detail());
  }

  @Test
  void serverApi_acceptsOnlyMessagesWithoutPlaintextFields() {
    // Every input to the coordinator is a ClientMessage; none has a field able to carry a plaintext
    // update (double[], ClientInput, int[] of encoded values).
    for (Class<?> type : ClientMessage.class.getPermittedSubclasses()) {
      for (RecordComponent c : type.getRecordComponents()) {
        assertFalse(c.getType() == double[].class || c.getType() == int[].class || c.getType() == ClientInput.class,
            type.getSimpleName() + "." + c.getName());
      }
    }
    for (Method m : SecAggServer.class.getDeclaredMethods()) {
      for (Class<?> p : m.getParameterTypes()) {
        assertFalse(p == double[].class || p == ClientInput.class, "SecAggServer." + m.getName());
      }
    }
    for (Class<?> stage : List.of(CollectingKeys.class, CollectingShares.class, CollectingMaskedInputs.class,
        CollectingUnmaskResponses.class)) {
      for (Field f : stage.getDeclaredFields()) {
        assertFalse(f.getType() == double[].class || f.getType() == ClientInput.class,
            stage.getSimpleName() + "." + f.getName());
      }
    }
  }
}
