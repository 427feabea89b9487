package org.comity.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.comity.aggregation.dp.RdpOrders;
import org.comity.aggregation.secagg.client.ClientInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The distributed-noise encoding: clipping, integer scale, Skellam noise, centred decoding, agreed parameters. */
class SkellamEncodingTest {

  private static final double CLIP = 0.5;

  private static int[] sumMod32(List<int[]> words) {
    int[] sum = new int[words.get(0).length];
    for (int[] w : words) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += w[i]; // int addition wraps: exactly the unmasked sum mod 2^32
      }
    }
    return sum;
  }

  /** n banks' updates with coordinates of both signs, each inside the L2 ball of radius CLIP. */
  private static double[][] updates(int banks, int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] out = new double[banks][length];
    for (double[] update : out) {
      for (int i = 0; i < length; i++) {
        update[i] = (random.nextDouble() - 0.5) * 2 * CLIP / Math.sqrt(length);
      }
    }
    return out;
  }

  @ParameterizedTest(name = "z={0}, banks={1}, quorum={2}")
  @CsvSource({"1.0, 4, 3", "0.3, 3, 3", "30.0, 3, 3"})
  void decodedSumOfNoisedBanks_isUnbiasedWithTheTargetVariance(double z, int banks, int quorum) {
    // given n banks' noised encodings (z = 30 draws each Poisson in several pieces)
    int length = 3000;
    SkellamEncoding encoding = new SkellamEncoding(new DistributedNoise(CLIP, z, quorum), banks, banks, length, 1);
    double[][] updates = updates(banks, length, 11);
    List<int[]> words = new java.util.ArrayList<>();
    for (int b = 0; b < banks; b++) {
      words.add(encoding.encode(updates[b], 1, new SplittableRandom(100 + b), new SplittableRandom(200 + b)));
    }
    // when the sum mod 2^32 is decoded
    var decoded = encoding.decode(sumMod32(words), banks);
    // then the error is centred on 0 with the variance the plan asks for: banks / quorum times z^2 Delta2^2 units
    double sum = 0;
    double sumSquares = 0;
    int negative = 0;
    for (int i = 0; i < length; i++) {
      double exact = 0;
      for (double[] u : updates) {
        exact += u[i];
      }
      double error = decoded.weightedSum()[i] - exact;
      negative += error < 0 ? 1 : 0;
      sum += error;
      sumSquares += error * error;
    }
    double expectedStd = encoding.step() * z * encoding.l2Sensitivity() * Math.sqrt((double) banks / quorum);
    assertEquals(expectedStd, encoding.noiseStddevOfDecodedSum(banks), expectedStd * 1e-9);
    double mean = sum / length;
    double variance = sumSquares / length - mean * mean;
    assertTrue(Math.abs(mean) < 5 * expectedStd / Math.sqrt(length), "mean error %s".formatted(mean));
    assertEquals(1.0, variance / (expectedStd * expectedStd), 0.15, "variance ratio");
    assertTrue(negative > length / 3 && negative < 2 * length / 3, "noise of both signs: %d negative".formatted(negative));
    assertEquals(banks, decoded.totalWeight());
  }

  @Test
  void encodeThenDecode_oneBank_keepsTheSignOfLargeValuesDespiteNoise() {
    // given one bank with a coordinate at +C and one at -C, and z small enough that the noise is a fraction of C
    SkellamEncoding encoding = new SkellamEncoding(new DistributedNoise(CLIP, 0.05, 1), 3, 3, 2, 1);
    double[] update = {CLIP / Math.sqrt(2), -CLIP / Math.sqrt(2)};
    for (long seed = 0; seed < 20; seed++) {
      int[] words = encoding.encode(update, 1, new SplittableRandom(seed), new SplittableRandom(seed + 1000));
      var decoded = encoding.decode(words, 1);
      double tolerance = 6 * encoding.noiseStddevOfDecodedSum(1) + encoding.step();
      assertEquals(update[0], decoded.weightedSum()[0], tolerance);
      assertEquals(update[1], decoded.weightedSum()[1], tolerance);
      assertTrue(words[1] < 0, "a negative value is a negative two's-complement word");
    }
  }

  @Test
  void encode_clipsTheUpdateToTheL2NormItself() {
    // given an update 100 times the clip norm, and tiny noise
    SkellamEncoding encoding = new SkellamEncoding(new DistributedNoise(CLIP, 1e-4, 3), 3, 3, 4, 1);
    double[] update = {30, -40, 0, 0}; // norm 50
    var decoded = encoding.decode(encoding.encode(update, 1, new SplittableRandom(1), new SplittableRandom(2)), 1);
    // then it decodes as the clipped update (0.3, -0.4) * CLIP / 0.5
    double tolerance = 2 * encoding.step() + 6 * encoding.noiseStddevOfDecodedSum(1);
    assertEquals(0.3, decoded.weightedSum()[0], tolerance);
    assertEquals(-0.4, decoded.weightedSum()[1], tolerance);
  }

  @Test
  void worstCaseSum_doesNotWrap_atTheLargestBankCountThatFits() {
    // given every bank at +C (then -C) on one coordinate, as many banks as 32 bits allow at integer clip k
    DistributedNoise noise = new DistributedNoise(CLIP, 1.0, 3);
    int banks = 4000;
    SkellamEncoding encoding = new SkellamEncoding(noise, banks, 3, 2, 1);
    double sumStd = Math.sqrt(banks * 2 * encoding.poissonMeanPerBank());
    assertTrue(banks * encoding.integerClip() + SkellamEncoding.TAIL_STDDEVS * sumStd <= 0x1p31 - 1);
    assertTrue(2 * banks * encoding.integerClip() + SkellamEncoding.TAIL_STDDEVS * sumStd > 0x1p31 - 1
        || encoding.integerClip() == SkellamEncoding.MAX_INTEGER_CLIP, "k is the largest that fits");
    for (double sign : new double[] {1, -1}) {
      double[] update = {sign * CLIP, 0};
      List<int[]> words = new java.util.ArrayList<>();
      for (int b = 0; b < banks; b++) {
        words.add(encoding.encode(update, 1, new SplittableRandom(b), new SplittableRandom(-b - 1)));
      }
      // when summed mod 2^32 and decoded centred
      var decoded = encoding.decode(sumMod32(words), banks);
      // then the sum is +-n C up to the noise
      double tolerance = 6 * encoding.noiseStddevOfDecodedSum(banks);
      assertEquals(sign * banks * CLIP, decoded.weightedSum()[0], tolerance);
      assertEquals(0, decoded.weightedSum()[1], tolerance);
    }
  }

  @ParameterizedTest(name = "z={0}, banks={1}, length={2}")
  @CsvSource({"0.5, 3, 10", "1.0, 100, 100000", "3.0, 20, 1000000", "10.0, 1000, 5000", "100.0, 3, 1000"})
  void chosenScale_keepsTwelveStandardDeviationsClearOfTheWrap(double z, int banks, int length) {
    SkellamEncoding encoding = new SkellamEncoding(new DistributedNoise(CLIP, z, 3), banks, 3, length, 1);
    double sumStd = Math.sqrt(banks * 2 * encoding.poissonMeanPerBank());
    assertTrue(banks * encoding.integerClip() + 12 * sumStd <= 0x1p31 - 1);
    assertTrue(encoding.poissonMeanPerBank() <= SkellamEncoding.MAX_POISSON_MEAN);
    assertTrue(encoding.integerClip() >= SkellamEncoding.MIN_INTEGER_CLIP);
  }

  @Test
  void unfitParameters_areRefusedWithTheReason() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new SkellamEncoding(new DistributedNoise(CLIP, 1e5, 3), 50, 3, 1000, 1));
    assertTrue(e.getMessage().contains("cannot fit 32-bit words"), e.getMessage());
  }

  @Test
  void noiseIsShared_byTheFewerOfQuorumAndThreshold() {
    SkellamEncoding quorumBound = new SkellamEncoding(new DistributedNoise(CLIP, 1, 3), 10, 6, 100, 1);
    SkellamEncoding thresholdBound = new SkellamEncoding(new DistributedNoise(CLIP, 1, 8), 10, 6, 100, 1);
    assertEquals(3, quorumBound.noiseShares());
    assertEquals(6, thresholdBound.noiseShares());
  }

  @Test
  void noise_comesFromTheNoiseSourceNotTheRoundingCoins() {
    SkellamEncoding encoding = new SkellamEncoding(new DistributedNoise(CLIP, 1, 3), 3, 3, 50, 1);
    double[] update = updates(1, 50, 3)[0];
    int[] a = encoding.encode(update, 1, new SplittableRandom(7), new SplittableRandom(1));
    int[] sameCoinsOtherNoise = encoding.encode(update, 1, new SplittableRandom(7), new SplittableRandom(2));
    int[] sameBoth = encoding.encode(update, 1, new SplittableRandom(7), new SplittableRandom(1));
    assertFalse(java.util.Arrays.equals(a, sameCoinsOtherNoise));
    assertArrayEquals(a, sameBoth);
  }

  @Test
  void accountingStep_boundsEveryRoundsOwnStep() {
    double[] orders = {1.5, 2, 3, 8, 32, 256};
    for (int banks : new int[] {3, 50, 4000}) {
      for (double z : new double[] {0.3, 1, 10}) {
        SkellamEncoding encoding = new SkellamEncoding(new DistributedNoise(CLIP, z, 3), banks, 3, 10_000, 1);
        var charged = SkellamEncoding.accountingStep(z, 10_000, 1);
        for (double alpha : orders) {
          assertTrue(charged.rdpOfOneStep(alpha) >= encoding.roundStep().rdpOfOneStep(alpha),
              "z=%s banks=%d alpha=%s".formatted(z, banks, alpha));
        }
      }
    }
    assertTrue(RdpOrders.defaults().size() > 0);
  }

  @Test
  void bankAndCoordinatorConfigs_deriveTheSameEncodingAndSession() {
    List<String> members = RoundHarness.bankIds(4);
    SecAggParameters parameters = SecAggParameters.derive(4, 0.0, 0.0, ThreatModel.SEMI_HONEST_SERVER);
    DistributedNoise noise = new DistributedNoise(CLIP, 1.2, 3);
    SecAggConfig coordinator = new SecAggConfig(5, members, parameters, 200, 1.0, 1, false, noise);
    List<String> reversed = new java.util.ArrayList<>(members);
    java.util.Collections.reverse(reversed);
    SecAggConfig bank = new SecAggConfig(5, reversed, parameters, 200, 1.0, 1, false,
        new DistributedNoise(CLIP, 1.2, 3));
    assertEquals(coordinator, bank);
    assertEquals(coordinator.encoding().toString(), bank.encoding().toString());
    assertArrayEquals(coordinator.canonicalBytes(), bank.canonicalBytes());
    SecAggConfig otherNoise = new SecAggConfig(5, members, parameters, 200, 1.0, 1, false,
        new DistributedNoise(CLIP, 1.1, 3));
    SecAggConfig noNoise = new SecAggConfig(5, members, parameters, 200, 1.0, 1, false);
    assertFalse(java.util.Arrays.equals(coordinator.canonicalBytes(), otherNoise.canonicalBytes()));
    assertFalse(java.util.Arrays.equals(coordinator.canonicalBytes(), noNoise.canonicalBytes()));
    assertTrue(noNoise.encoding() instanceof QuantizedEncoding);
  }

  @Test
  void fullSecureRound_withDistributedNoise_unmasksANoisedSumNearTheTrueSum() {
    // given 5 banks, one of which drops after sharing keys
    List<String> members = RoundHarness.bankIds(5);
    SecAggParameters parameters = SecAggParameters.derive(5, 0.0, 0.2, ThreatModel.SEMI_HONEST_SERVER);
    int length = 400;
    SecAggConfig config = new SecAggConfig(9, members, parameters, length, 1.0, 1, false,
        new DistributedNoise(CLIP, 0.5, 3));
    double[][] updates = updates(members.size(), length, 5);
    Map<String, ClientInput> inputs = new HashMap<>();
    for (int b = 0; b < members.size(); b++) {
      inputs.put(members.get(b), new ClientInput(updates[b], 1));
    }
    String dropped = members.get(2);
    // when the protocol runs
    var outcome = RoundHarness.run(config, inputs, Map.of(dropped, RoundHarness.DropStage.MASKED_INPUT), 3);
    // then the result is the survivors' sum plus noise of the expected size
    var result = outcome.result().orElseThrow();
    assertEquals(4, result.contributors().size());
    SkellamEncoding encoding = (SkellamEncoding) config.encoding();
    double std = encoding.noiseStddevOfDecodedSum(4);
    double squares = 0;
    for (int i = 0; i < length; i++) {
      double exact = 0;
      for (int b = 0; b < members.size(); b++) {
        if (b != 2) {
          exact += updates[b][i];
        }
      }
      double error = result.weightedSum()[i] - exact;
      squares += error * error;
    }
    assertEquals(1.0, squares / length / (std * std), 0.3);
    assertEquals(4, result.totalWeight());
  }
}
