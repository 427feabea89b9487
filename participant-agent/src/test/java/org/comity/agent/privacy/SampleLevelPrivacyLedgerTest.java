package org.comity.agent.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.comity.aggregation.dp.EpsilonAtOrder;
import org.comity.aggregation.dp.PoissonGaussianStep;
import org.comity.aggregation.dp.RdpAccountant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class SampleLevelPrivacyLedgerTest {

  /** One round: 3 epochs of 391 steps at expected batch 256 over 100,000 rows, sigma 1.1. */
  private static final PoissonGaussianStep ROUND = new PoissonGaussianStep(256.0 / 100_000, 1.1, 3 * 391);
  private static final double DELTA = 1e-6;

  @Test
  void allows_refusesExactlyWhenTheNextRoundWouldExceedTheCeiling() {
    // given: a ceiling equal to the accountant's epsilon after exactly 4 rounds
    double afterFour = epsilonAfter(4);
    SampleLevelPrivacyLedger ledger = new SampleLevelPrivacyLedger(afterFour, DELTA, 100_000);

    // when / then: rounds 1-4 allowed (the 4th lands exactly on the ceiling), the 5th refused
    for (int round = 1; round <= 4; round++) {
      assertEquals(epsilonAfter(round), ledger.epsilonIfNextRound(ROUND).epsilon(), 0.0, "round " + round);
      assertTrue(ledger.allows(ROUND), "round " + round);
      ledger.record(ROUND);
    }
    assertEquals(afterFour, ledger.epsilonSpent(), 0.0);
    assertFalse(ledger.allows(ROUND));
    PrivacyCheck check = ledger.check(ROUND);
    assertFalse(check.allowed());
    assertEquals(epsilonAfter(5), check.epsilonIfRun(), 0.0);
    assertTrue(check.describe().contains("the bank refuses to train"), check.describe());
  }

  @Test
  void allows_ceilingJustBelowTheEpsilonOfTheNextRound_refuses() {
    // given
    double afterTwo = epsilonAfter(2);
    SampleLevelPrivacyLedger ledger = new SampleLevelPrivacyLedger(Math.nextDown(afterTwo), DELTA, 100_000);
    ledger.record(ROUND);

    // when / then
    assertFalse(ledger.allows(ROUND));
    assertTrue(ledger.check(new PoissonGaussianStep(ROUND.samplingRate(), ROUND.noiseMultiplier(), 0)).allowed(),
        "a round without steps costs nothing");
  }

  @Test
  void epsilonSpent_zeroBeforeAnyRound_thenTheAccountantsEpsilon_andRecordNeverRefuses() {
    // given
    SampleLevelPrivacyLedger ledger = new SampleLevelPrivacyLedger(0.5, DELTA, 100_000);
    assertEquals(0.0, ledger.epsilonSpent());

    // when: the caller skips the check; the round's cost is real and must be counted
    EpsilonAtOrder after = ledger.record(ROUND);

    // then
    double expected = RdpAccountant.withDefaultOrders().compose(ROUND).epsilon(DELTA).epsilon();
    assertEquals(expected, after.epsilon(), 0.0);
    assertEquals(expected, ledger.epsilonSpent(), 0.0);
    assertTrue(ledger.epsilonSpent() > 0.5, "this round alone exceeds the tiny ceiling");
    assertFalse(ledger.allows(ROUND));
    assertEquals(1, ledger.roundsRecorded());
  }

  @Test
  void noNoise_isNeverAllowed() {
    SampleLevelPrivacyLedger ledger = new SampleLevelPrivacyLedger(100, DELTA, 100_000);
    assertFalse(ledger.allows(new PoissonGaussianStep(0.01, 0.0, 1)));
  }

  @Test
  void invalidCeilingOrDelta_areRejectedWithTheValue() {
    assertMessage("epsilon ceiling must be finite and > 0, got 0.0", () -> new SampleLevelPrivacyLedger(0, DELTA, 10));
    assertMessage("epsilon ceiling must be finite and > 0, got NaN",
        () -> new SampleLevelPrivacyLedger(Double.NaN, DELTA, 10));
    assertMessage("epsilon ceiling must be finite and > 0, got Infinity",
        () -> new SampleLevelPrivacyLedger(Double.POSITIVE_INFINITY, DELTA, 10));
    assertMessage("delta must be in (0, 1), got 0.0", () -> new SampleLevelPrivacyLedger(1, 0, 10));
    assertMessage("delta must be in (0, 1), got 1.0", () -> new SampleLevelPrivacyLedger(1, 1, 10));
    assertMessage("bankRows must be >= 1, got 0", () -> new SampleLevelPrivacyLedger(1, DELTA, 0));
    assertMessage("delta 0.001 is not below 1/records = 1/5000 = 2.0E-4 for this bank's 5000 records: refused",
        () -> new SampleLevelPrivacyLedger(1, 1e-3, 5000));
    assertMessage("delta 2.0E-4 is not below 1/records = 1/5000",
        () -> new SampleLevelPrivacyLedger(1, 2e-4, 5000));
  }

  private static double epsilonAfter(int rounds) {
    RdpAccountant accountant = RdpAccountant.withDefaultOrders();
    for (int i = 0; i < rounds; i++) {
      accountant = accountant.compose(ROUND);
    }
    return accountant.epsilon(DELTA).epsilon();
  }

  private static void assertMessage(String expectedPart, Executable executable) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
    assertTrue(e.getMessage().contains(expectedPart), "message was: " + e.getMessage());
  }
}
