package org.comity.coordinator.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.comity.aggregation.dp.PoissonGaussianStep;
import org.comity.aggregation.dp.RdpAccountant;
import org.comity.aggregation.secagg.DistributedNoise;
import org.comity.aggregation.secagg.SkellamEncoding;
import org.comity.plan.BankPrivacySpec;
import org.junit.jupiter.api.Test;

/** The run's bank-level privacy with the noise placed at the coordinator or at the banks. */
class BankLevelPrivacyTest {
  private static final int PARAMETERS = 5000;

  private static BankPrivacySpec spec(BankPrivacySpec.NoisePlacement placement) {
    return new BankPrivacySpec(true, 0.5, 1.2, 0.5, 100, 1e-5, false, 0.5, 0.2, 1.0, placement);
  }

  @Test
  void distributed_releasesTheBanksNoisedSumUnchanged_overTheExpectedParticipants() {
    BankLevelPrivacy privacy = new BankLevelPrivacy(spec(BankPrivacySpec.NoisePlacement.DISTRIBUTED), 8, PARAMETERS);
    double[] sum = {0.8, -1.6, 0.0};
    // population 8 at rate 0.5: 4 expected participants; no noise is added on top
    float[] mean = privacy.release(sum, 8, 3, 0, 1);
    assertEquals(0.2f, mean[0]);
    assertEquals(-0.4f, mean[1]);
    assertEquals(0.0f, mean[2]);
    assertEquals(new DistributedNoise(0.5, 1.2, 3), privacy.distributedNoise(3));
  }

  @Test
  void central_addsNoise_andAsksTheBanksForNone() {
    BankLevelPrivacy privacy = new BankLevelPrivacy(spec(BankPrivacySpec.NoisePlacement.CENTRAL), 8, PARAMETERS);
    float[] mean = privacy.release(new double[] {0.0, 0.0, 0.0}, 8, 3, 0, 1);
    assertTrue(mean[0] != 0.0f || mean[1] != 0.0f || mean[2] != 0.0f);
    assertNull(privacy.distributedNoise(3));
  }

  @Test
  void distributed_chargesEachRoundAsTheSkellamMechanism_withoutAmplificationBySampling() {
    BankLevelPrivacy privacy = new BankLevelPrivacy(spec(BankPrivacySpec.NoisePlacement.DISTRIBUTED), 8, PARAMETERS);
    privacy.accountRound();
    privacy.accountRound();
    privacy.accountRound();
    double skellam = RdpAccountant.withDefaultOrders().compose(SkellamEncoding.accountingStep(1.2, PARAMETERS, 3))
        .epsilon(1e-5).epsilon();
    double sampledGaussian = RdpAccountant.withDefaultOrders().compose(new PoissonGaussianStep(0.5, 1.2, 3))
        .epsilon(1e-5).epsilon();
    assertEquals(skellam, privacy.epsilonSpent(), 1e-12);
    assertTrue(privacy.epsilonSpent() > sampledGaussian, "the sampling rate 0.5 is not credited");
  }

  @Test
  void distributed_restoredLedger_isTheUninterruptedOne() {
    BankLevelPrivacy uninterrupted =
        new BankLevelPrivacy(spec(BankPrivacySpec.NoisePlacement.DISTRIBUTED), 8, PARAMETERS);
    for (int r = 0; r < 4; r++) {
      uninterrupted.accountRound();
    }
    BankLevelPrivacy restored = new BankLevelPrivacy(spec(BankPrivacySpec.NoisePlacement.DISTRIBUTED), 8, PARAMETERS);
    restored.restore(4, 0.5);
    assertEquals(uninterrupted.epsilonSpent(), restored.epsilonSpent(), 1e-12);
    assertEquals(uninterrupted.epsilonAfterAnotherRound(), restored.epsilonAfterAnotherRound(), 1e-12);
    assertNotNull(restored.distributedNoise(3));
  }
}
