package org.comity.coordinator.round;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.comity.aggregation.dp.AdaptiveClipNorm;
import org.comity.aggregation.dp.AdaptiveClippingNoiseSplit;
import org.comity.aggregation.dp.AdaptiveClippingParams;
import org.comity.aggregation.dp.ClippedUpdate;
import org.comity.aggregation.dp.L2Clipping;
import org.comity.aggregation.dp.PoissonGaussianStep;
import org.comity.aggregation.dp.RdpAccountant;
import org.comity.aggregation.secagg.DistributedNoise;
import org.comity.aggregation.secagg.SkellamEncoding;
import org.comity.plan.BankPrivacySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bank-level differential privacy of a run (DP-FedAvg with central noise, McMahan et al. 2018): Poisson sampling of
 * banks, the clip norm (fixed, or adaptive after Andrew et al. 2021), the noised release of each round's sum, and
 * the run's exact RDP ledger. The round engine asks it before starting a round and calls it when releasing one.
 *
 * <p>With {@code noise_placement: distributed} the banks add Skellam noise before secure aggregation
 * ({@link SkellamEncoding}); the sum the coordinator unmasks is already noised, so {@link #release} adds none, and each
 * round is charged as the Skellam mechanism ({@link SkellamEncoding#accountingStep}) without amplification by
 * sampling: the banks' noise holds whatever the coordinator's sampling did.
 *
 * <p>Why a fixed denominator: the mean is the noised sum divided by the expected number of participants, so one
 * bank's presence changes the release by at most the clip norm, which is what the noise is calibrated to.
 */
final class BankLevelPrivacy {
  private static final Logger log = LoggerFactory.getLogger(BankLevelPrivacy.class);

  private final BankPrivacySpec spec;
  /** Values per update: the Skellam accounting's L1 sensitivity depends on it. */
  private final int vectorLength;
  private final SecureRandom noise = new SecureRandom();
  private RdpAccountant ledger = RdpAccountant.withDefaultOrders();
  private AdaptiveClipNorm adaptiveClip;
  private double epsilonSpent;
  private int roundsAccounted;

  /**
   * @param expectedBanks banks expected at the start (the adaptive rule's initial expected participants)
   * @param vectorLength values per update sent to secure aggregation
   */
  BankLevelPrivacy(BankPrivacySpec spec, int expectedBanks, int vectorLength) {
    this.spec = spec;
    this.vectorLength = vectorLength;
    if (spec.distributedNoise() && spec.adaptiveClipping()) {
      throw new IllegalArgumentException("distributed noise needs a fixed clip norm (the plan loader refuses this)");
    }
    if (spec.adaptiveClipping()) {
      adaptiveClip = AdaptiveClipNorm.start(spec.clipNorm(), new AdaptiveClippingParams(spec.targetUnclippedQuantile(),
          spec.clipLearningRate(), spec.clippedCountStddev(),
          Math.max(1e-9, spec.participationRate() * expectedBanks)));
    }
  }

  /** Whether the banks add the noise (the coordinator then adds none). */
  boolean distributed() {
    return spec.distributedNoise();
  }

  /**
   * The banks' noise parameters for a secure round in distributed mode, else {@code null}.
   *
   * @param minQuorum the plan's {@code rounds.min_quorum}
   */
  DistributedNoise distributedNoise(int minQuorum) {
    return spec.distributedNoise() ? new DistributedNoise(spec.clipNorm(), spec.noiseMultiplier(), minQuorum) : null;
  }

  /** Whether the clip norm adapts; banks then also report whether their update fit unclipped. */
  boolean adaptive() {
    return adaptiveClip != null;
  }

  /** The clip norm of the next round. */
  double clipNorm() {
    return adaptiveClip == null ? spec.clipNorm() : adaptiveClip.clipNorm();
  }

  double epsilonSpent() {
    return epsilonSpent;
  }

  /** The epsilon the run would have spent after one more round. */
  double epsilonAfterAnotherRound() {
    return withOneMoreRound().epsilon(spec.delta()).epsilon();
  }

  /** Whether one more round fits the budget. */
  boolean allowsAnotherRound() {
    return epsilonAfterAnotherRound() <= spec.targetEpsilon();
  }

  /** Why the run stops at its budget, in words for the operator. */
  String budgetReached(int committedRounds, int failedRounds) {
    return ("privacy budget reached: epsilon %.4f spent at delta %s; one more round would reach %.4f, above the "
        + "budget %s (%d committed, %d failed)").formatted(epsilonSpent, spec.delta(), epsilonAfterAnotherRound(),
        spec.targetEpsilon(), committedRounds, failedRounds);
  }

  /** Poisson sampling, as the accountant assumes: each bank independently with the plan's rate. */
  List<String> sample(List<String> connected, SplittableRandom random) {
    List<String> chosen = new ArrayList<>();
    for (String member : connected) {
      if (random.nextDouble() < spec.participationRate()) {
        chosen.add(member);
      }
    }
    return chosen;
  }

  /** Accounts one round: its release is about to be computed from the sampled banks' updates. */
  void accountRound() {
    roundsAccounted++;
    ledger = withOneMoreRound();
    epsilonSpent = ledger.epsilon(spec.delta()).epsilon();
  }

  /** Rounds charged to the ledger so far. */
  int roundsAccounted() {
    return roundsAccounted;
  }

  /**
   * Restores the state a run had reached before a restart: every round has the same parameters, so the ledger is
   * the composition of {@code rounds} of them; the adaptive clip norm continues from where it stood.
   */
  void restore(int rounds, double clipNorm) {
    roundsAccounted = rounds;
    ledger = RdpAccountant.withDefaultOrders();
    if (rounds > 0) {
      ledger = spec.distributedNoise()
          ? ledger.compose(SkellamEncoding.accountingStep(spec.noiseMultiplier(), vectorLength, rounds))
          : ledger.compose(new PoissonGaussianStep(spec.participationRate(), spec.noiseMultiplier(), rounds));
    }
    epsilonSpent = rounds == 0 ? 0.0 : ledger.epsilon(spec.delta()).epsilon();
    if (adaptiveClip != null && clipNorm > 0) {
      adaptiveClip = AdaptiveClipNorm.start(clipNorm, adaptiveClip.params());
    }
  }

  /** Clips one bank's update to the round's norm (the coordinator does not trust the bank's own clipping). */
  ClippedUpdate clip(float[] update) {
    return L2Clipping.clip(update, clipNorm());
  }

  /**
   * The noised mean update of a round and, with adaptive clipping, the next round's clip norm.
   *
   * @param sumOfClippedUpdates the exact sum of the contributors' clipped updates; in distributed mode the decoded
   *     sum, already noised by the banks
   * @param population banks connected when the round sampled its participants
   * @param contributors updates in the sum
   * @param unclipped how many of them fit under the clip norm unclipped
   */
  float[] release(double[] sumOfClippedUpdates, int population, int contributors, int unclipped, int round) {
    // With adaptive clipping part of the budget goes to the count of unclipped updates.
    double sumMultiplier = adaptiveClip == null ? spec.noiseMultiplier()
        : AdaptiveClippingNoiseSplit.sumNoiseMultiplier(spec.noiseMultiplier(), spec.clippedCountStddev());
    // In distributed mode the banks' Skellam noise is already in the sum: adding more would only hurt the model.
    double sigma = spec.distributedNoise() ? 0.0 : sumMultiplier * clipNorm();
    double expectedParticipants = Math.max(1e-9, spec.participationRate() * population);
    float[] mean = new float[sumOfClippedUpdates.length];
    for (int i = 0; i < mean.length; i++) {
      mean[i] = (float) ((sumOfClippedUpdates[i] + sigma * noise.nextGaussian()) / expectedParticipants);
    }
    if (adaptiveClip != null) {
      double before = adaptiveClip.clipNorm();
      adaptiveClip = adaptiveClip.afterRound(unclipped, contributors, sd -> sd * noise.nextGaussian());
      log.info("round {}: adaptive clip norm {} -> {} ({} of {} updates unclipped)", round,
          String.format("%.5f", before), String.format("%.5f", adaptiveClip.clipNorm()), unclipped, contributors);
    }
    return mean;
  }

  /** The ledger after one more round, in whichever mechanism the plan's noise placement makes it. */
  private RdpAccountant withOneMoreRound() {
    return spec.distributedNoise()
        ? ledger.compose(SkellamEncoding.accountingStep(spec.noiseMultiplier(), vectorLength, 1))
        : ledger.compose(new PoissonGaussianStep(spec.participationRate(), spec.noiseMultiplier(), 1));
  }
}
