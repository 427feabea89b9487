package org.comity.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Skellam mechanism's RDP bound ({@link SkellamStep}) and its composition in the {@link RdpAccountant}. */
class SkellamRdpTest {

  @Test
  void rdpOfOneStep_matchesValuesWorkedOutByHand() {
    // given mu = 5, D2 = D1 = 1, alpha = 2: 2/20 + min((3 + 6)/400, 3/20) = 0.1 + 0.0225
    assertEquals(0.1225, new SkellamStep(1, 1, 5, 1).rdpOfOneStep(2), 1e-15);
    // mu = 1, D = 1, alpha = 2: 0.5 + min(9/16, 3/4) -- the first branch of the minimum
    assertEquals(1.0625, new SkellamStep(1, 1, 1, 1).rdpOfOneStep(2), 1e-15);
    // mu = 0.25, D = 1, alpha = 2: 2 + min(9/1, 3) -- the second branch
    assertEquals(5.0, new SkellamStep(1, 1, 0.25, 1).rdpOfOneStep(2), 1e-15);
    // multi-dimensional: D2 = 2, D1 = 4, mu = 10, alpha = 3: 12/40 + min((5*4 + 24)/1600, 12/40)
    assertEquals(0.3275, new SkellamStep(2, 4, 10, 1).rdpOfOneStep(3), 1e-15);
  }

  @Test
  void rdpOfOneStep_approachesTheGaussianAtTheSameVarianceForLargeMu() {
    // given Skellam variance 2 mu = sigma^2 with sigma = z * D2
    double z = 1.3;
    double d2 = 4096;
    double mu = z * z * d2 * d2 / 2;
    SkellamStep step = new SkellamStep(d2, Math.sqrt(1e5) * d2, mu, 1);
    for (double alpha : new double[] {1.5, 2, 8, 64}) {
      double gaussian = alpha / (2 * z * z);
      // then within a relative 1e-6 of alpha / (2 z^2), and never below it
      assertTrue(step.rdpOfOneStep(alpha) >= gaussian);
      assertEquals(gaussian, step.rdpOfOneStep(alpha), gaussian * 1e-6);
    }
  }

  @Test
  void rdpOfOneStep_growsWithOrderAndSensitivityAndShrinksWithNoise() {
    SkellamStep base = new SkellamStep(3, 5, 20, 1);
    assertTrue(base.rdpOfOneStep(4) > base.rdpOfOneStep(2));
    assertTrue(new SkellamStep(4, 5, 20, 1).rdpOfOneStep(2) > base.rdpOfOneStep(2));
    assertTrue(new SkellamStep(3, 9, 20, 1).rdpOfOneStep(2) > base.rdpOfOneStep(2));
    assertTrue(new SkellamStep(3, 5, 40, 1).rdpOfOneStep(2) < base.rdpOfOneStep(2));
  }

  static Stream<Arguments> oneDimensionalCases() {
    return Stream.of(
        Arguments.of(0.5, 1, 2.0), Arguments.of(1.0, 1, 2.0), Arguments.of(2.0, 1, 3.0),
        Arguments.of(3.0, 2, 1.5), Arguments.of(5.0, 1, 2.0), Arguments.of(5.0, 1, 8.0),
        Arguments.of(10.0, 1, 32.0), Arguments.of(20.0, 2, 4.0), Arguments.of(50.0, 3, 16.0),
        Arguments.of(100.0, 5, 2.5));
  }

  /**
   * The strong check: the bound is at least the exact Renyi divergence D_alpha(Sk(mu, mu) + Delta || Sk(mu, mu)) of
   * the one-dimensional mechanism (D1 = D2 = |Delta|), computed from the PMF. Halving the first term's constant or
   * mistaking the Poisson mean for the variance fails several of these cases.
   */
  @ParameterizedTest(name = "mu={0}, Delta={1}, alpha={2}")
  @MethodSource("oneDimensionalCases")
  void rdpOfOneStep_isAtLeastTheExactRenyiDivergenceOfOneDimensionalSkellam(double mu, int shift, double alpha) {
    double exact = exactRenyiDivergenceOfShiftedSkellam(mu, shift, alpha);
    double bound = new SkellamStep(shift, shift, mu, 1).rdpOfOneStep(alpha);
    assertTrue(bound >= exact, "bound %s below the exact divergence %s".formatted(bound, exact));
    if (mu >= 20) {
      // and it is not vacuous: with much noise the bound is within 10% of the truth
      assertTrue(bound <= 1.1 * exact, "bound %s more than 10%% above the exact divergence %s".formatted(bound, exact));
    }
  }

  @Test
  void exactDivergence_ofTheReferenceComputation_isNearTheGaussianForLargeMu() {
    // guards the reference itself: Sk(mu, mu) is close to N(0, 2 mu), whose divergence is alpha D^2 / (4 mu)
    assertEquals(0.15625, exactRenyiDivergenceOfShiftedSkellam(100, 5, 2.5), 0.002);
  }

  @Test
  void compose_isLinearInTheNumberOfReleases() {
    SkellamStep one = new SkellamStep(2, 6, 30, 1);
    double[] once = RdpAccountant.withDefaultOrders().compose(one).rdp();
    double[] sevenTimes = RdpAccountant.withDefaultOrders().compose(new SkellamStep(2, 6, 30, 7)).rdp();
    double[] sevenSteps = RdpAccountant.withDefaultOrders().compose(one).compose(one).compose(one).compose(one)
        .compose(one).compose(one).compose(one).rdp();
    for (int k = 0; k < once.length; k++) {
      assertEquals(7 * once[k], sevenTimes[k], 1e-12 * sevenTimes[k]);
      assertEquals(sevenTimes[k], sevenSteps[k], 1e-12 * sevenTimes[k]);
    }
  }

  @Test
  void epsilon_growsWithReleasesAndIsZeroForNone() {
    double previous = 0;
    assertEquals(0.0, RdpAccountant.withDefaultOrders().compose(new SkellamStep(1, 1, 2, 0)).epsilon(1e-5).epsilon());
    for (long steps : new long[] {1, 2, 5, 20}) {
      double epsilon = RdpAccountant.withDefaultOrders().compose(new SkellamStep(1, 1, 2, steps)).epsilon(1e-5).epsilon();
      assertTrue(epsilon > previous, "epsilon after %d releases %s not above %s".formatted(steps, epsilon, previous));
      previous = epsilon;
    }
  }

  @Test
  void epsilon_ofSkellamWithLargeMu_isThatOfTheGaussianWithoutSampling() {
    double z = 1.1;
    double d2 = 8192;
    double skellam = RdpAccountant.withDefaultOrders()
        .compose(new SkellamStep(d2, 300 * d2, z * z * d2 * d2 / 2, 10)).epsilon(1e-5).epsilon();
    double gaussian = RdpAccountant.withDefaultOrders().compose(new PoissonGaussianStep(1.0, z, 10)).epsilon(1e-5)
        .epsilon();
    assertTrue(skellam >= gaussian);
    assertEquals(gaussian, skellam, 1e-4 * gaussian);
  }

  @Test
  void constructor_refusesImpossibleParameters() {
    assertThrows(IllegalArgumentException.class, () -> new SkellamStep(0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new SkellamStep(2, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new SkellamStep(1, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SkellamStep(1, 1, Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> new SkellamStep(1, 1, 1, -1));
    assertThrows(IllegalArgumentException.class, () -> new SkellamStep(1, 1, 1, 1).rdpOfOneStep(1.0));
  }

  /** D_alpha(P || Q) with P = Sk(mu, mu) + shift, Q = Sk(mu, mu), summed in log space over a wide support. */
  private static double exactRenyiDivergenceOfShiftedSkellam(double mu, int shift, double alpha) {
    int half = (int) Math.ceil(mu + 60 * Math.sqrt(mu) + 30 * alpha * shift + 100);
    double[] logSkellam = logSkellamPmf(mu, half + shift); // index k + (half + shift)
    int offset = half + shift;
    double[] terms = new double[2 * half + 1];
    for (int k = -half; k <= half; k++) {
      terms[k + half] = alpha * logSkellam[k - shift + offset] + (1 - alpha) * logSkellam[k + offset];
    }
    return logSumExp(terms) / (alpha - 1);
  }

  /** log P(K = k) for k in [-range, range] of K = X - Y, X, Y ~ Poisson(mu): a convolution in log space. */
  private static double[] logSkellamPmf(double mu, int range) {
    int top = (int) Math.ceil(2 * range + mu + 60 * Math.sqrt(mu) + 100);
    double[] logPoisson = new double[top + 1];
    double logFactorial = 0;
    for (int j = 0; j <= top; j++) {
      if (j > 0) {
        logFactorial += Math.log(j);
      }
      logPoisson[j] = j * Math.log(mu) - mu - logFactorial;
    }
    double[] out = new double[2 * range + 1];
    for (int k = -range; k <= range; k++) {
      int from = Math.max(0, -k);
      int to = top - Math.max(0, k);
      double[] terms = new double[to - from + 1];
      for (int j = from; j <= to; j++) {
        terms[j - from] = logPoisson[j + k] + logPoisson[j];
      }
      out[k + range] = logSumExp(terms);
    }
    return out;
  }

  private static double logSumExp(double[] values) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : values) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }
}
