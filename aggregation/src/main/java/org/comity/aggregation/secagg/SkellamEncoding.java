package org.comity.aggregation.secagg;

import java.util.random.RandomGenerator;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateDiscreteSampler;
import org.comity.aggregation.dp.SkellamStep;

/**
 * Integer encoding of an L2-clipped update into Z_{2^32} with the bank's share of distributed Skellam noise
 * (Agarwal, Kairouz, Liu 2021): the mechanism behind {@code privacy.bank_level.noise_placement: distributed}.
 *
 * <p><b>Encoding.</b> A bank clips its update x (length d) to L2 norm C, scales it by its weight over {@code
 * maxWeight}, divides by the step gamma = C / k and rounds each coordinate stochastically (unbiased) to an integer in
 * [-k, k]; then it adds Skellam noise Sk(lambda, lambda) = Poisson(lambda) - Poisson(lambda) to every coordinate and
 * writes the result as a two's-complement 32-bit word. Words L and L+1 carry the weight as in {@link
 * QuantizedEncoding}, un-noised. The sum of the banks' words is decoded centred (each word read as a signed int), so
 * negative sums and negative noise decode correctly.
 *
 * <p><b>Sensitivity.</b> Stochastic rounding moves each coordinate by less than 1, so one bank's integer vector has
 * L2 norm at most Delta2 = k + sqrt(d) (deterministically, not only with high probability) and L1 norm at most
 * sqrt(d) Delta2.
 *
 * <p><b>Noise.</b> The total noise targets standard deviation sigma = z Delta2 per coordinate, i.e. Skellam with
 * Poisson mean sigma^2 / 2. Every sum anyone can unmask holds at least {@code noiseShares} = min(min_quorum,
 * threshold) contributions (honest banks refuse to unmask fewer than the threshold, and no round commits with fewer
 * than the quorum), so each bank adds lambda = sigma^2 / (2 noiseShares); a sum of more banks only has more noise. The
 * Poisson variates come from commons-rng's exact samplers driven by the caller's secret generator; means above
 * {@link #POISSON_CHUNK} are drawn as a sum of equal smaller Poisson variates (the sum of independent Poissons is
 * Poisson).
 *
 * <p><b>Scale k.</b> The largest power of two in [{@link #MIN_INTEGER_CLIP}, {@link #MAX_INTEGER_CLIP}] such that n
 * banks' worst-case values plus 12 standard deviations of their total noise stay below 2^31 (so the centred sum does
 * not wrap) and the per-bank Poisson mean stays at most {@link #MAX_POISSON_MEAN}. A larger k makes the rounding
 * inflation sqrt(d) / k of the noise smaller. If not even the smallest k fits, the round cannot run and the
 * constructor says so.
 *
 * <p><b>Accounting.</b> {@link #accountingStep} charges each round as the Skellam mechanism at Delta2 = {@link
 * #MIN_INTEGER_CLIP} + sqrt(d): the bound of {@link SkellamStep} with mu = (z Delta2)^2 / 2 is decreasing in Delta2,
 * so the charge is an upper bound for every k the encoding may choose, and it does not depend on the round's bank
 * count (a ledger restored after a restart is the same as the uninterrupted one).
 */
public final class SkellamEncoding implements UpdateEncoding {
  /** The smallest integer clip (and the one the accounting assumes). */
  public static final long MIN_INTEGER_CLIP = 1L << 10;
  /** The largest integer clip tried. */
  public static final long MAX_INTEGER_CLIP = 1L << 16;
  /**
   * Largest per-bank Poisson mean: at most 8 draws of {@link #POISSON_CHUNK} per half (an encoding of 100K values
   * then takes about a second with {@code SecureRandom}); a smaller k is preferred to more draws.
   */
  public static final double MAX_POISSON_MEAN = 0x1p32;
  /** Largest mean drawn in one piece (commons-rng's large-mean sampler accepts up to about 2^30). */
  static final double POISSON_CHUNK = 0x1p29;
  /** Standard deviations of the total noise kept clear of the wrap-around. */
  public static final double TAIL_STDDEVS = 12.0;
  private static final double HALF_RANGE = 0x1p31 - 1;

  private final DistributedNoise noise;
  private final int memberCount;
  private final int noiseShares;
  private final int vectorLength;
  private final long maxWeight;
  private final long integerClip;

  /**
   * @param noise the plan's public noise parameters
   * @param memberCount n: the most banks whose words are summed
   * @param threshold the round's secure-aggregation threshold
   * @param vectorLength d: values per update
   * @param maxWeight largest weight a bank may report (1 under bank-level DP)
   * @throws IllegalArgumentException if the parameters are out of range, or no scale fits 32-bit words
   */
  public SkellamEncoding(DistributedNoise noise, int memberCount, int threshold, int vectorLength, long maxWeight) {
    if (noise == null) {
      throw new IllegalArgumentException("noise parameters must be given");
    }
    if (memberCount < 1 || memberCount > 65_536) {
      throw new IllegalArgumentException("member count must be in [1, 65536], got " + memberCount);
    }
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
    }
    if (vectorLength < 1) {
      throw new IllegalArgumentException("vector length must be at least 1, got " + vectorLength);
    }
    if (maxWeight < 1 || maxWeight > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("max weight must be in [1, 2^32 - 1], got " + maxWeight);
    }
    this.noise = noise;
    this.memberCount = memberCount;
    this.noiseShares = Math.min(noise.minQuorum(), threshold);
    this.vectorLength = vectorLength;
    this.maxWeight = maxWeight;
    long chosen = 0;
    for (long k = MAX_INTEGER_CLIP; k >= MIN_INTEGER_CLIP; k /= 2) {
      if (fits(k)) {
        chosen = k;
        break;
      }
    }
    if (chosen == 0) {
      throw new IllegalArgumentException(("distributed noise with noise multiplier %s cannot fit 32-bit words for %d "
          + "banks of %d values (noise shared by %d): even at integer clip %d the sum plus %s standard deviations of "
          + "noise would exceed 2^31, or a bank's Poisson mean would exceed 2^32; lower the noise multiplier or the "
          + "number of banks per round").formatted(noise.noiseMultiplier(), memberCount, vectorLength, noiseShares,
          MIN_INTEGER_CLIP, TAIL_STDDEVS));
    }
    this.integerClip = chosen;
  }

  /**
   * The accountant's step for {@code rounds} rounds of this mechanism for a plan (see the class comment: an upper
   * bound for every scale the encoding may choose).
   */
  public static SkellamStep accountingStep(double noiseMultiplier, int vectorLength, long rounds) {
    double delta2 = MIN_INTEGER_CLIP + Math.sqrt(vectorLength);
    double sigma = noiseMultiplier * delta2;
    return new SkellamStep(delta2, Math.sqrt(vectorLength) * delta2, sigma * sigma / 2, rounds);
  }

  private boolean fits(long k) {
    double delta2 = k + Math.sqrt(vectorLength);
    double sigma = noise.noiseMultiplier() * delta2;
    double perBankMean = sigma * sigma / (2.0 * noiseShares);
    double sumStddev = Math.sqrt(memberCount * 2.0 * perBankMean);
    return perBankMean <= MAX_POISSON_MEAN
        && (double) memberCount * k + TAIL_STDDEVS * sumStddev <= HALF_RANGE;
  }

  /** k: a clipped coordinate of magnitude C encodes as k. */
  public long integerClip() {
    return integerClip;
  }

  /** gamma = C / k: the value of one integer unit. */
  public double step() {
    return noise.clipNorm() / integerClip;
  }

  /** Delta2 = k + sqrt(d): the L2 norm bound of one bank's integer vector. */
  public double l2Sensitivity() {
    return integerClip + Math.sqrt(vectorLength);
  }

  /** Delta1 = sqrt(d) Delta2: the L1 norm bound of one bank's integer vector. */
  public double l1Sensitivity() {
    return Math.sqrt(vectorLength) * l2Sensitivity();
  }

  /** sigma = z Delta2: the noise standard deviation, in integer units, of a sum of {@link #noiseShares()} banks. */
  public double targetNoiseStddev() {
    return noise.noiseMultiplier() * l2Sensitivity();
  }

  /** min(min_quorum, threshold): the fewest contributions in any sum that can be unmasked. */
  public int noiseShares() {
    return noiseShares;
  }

  /** lambda: the Poisson mean of each half of one bank's Skellam noise per coordinate (variance 2 lambda). */
  public double poissonMeanPerBank() {
    double sigma = targetNoiseStddev();
    return sigma * sigma / (2.0 * noiseShares);
  }

  /** Standard deviation, in the units of the update, of the noise in a decoded sum of {@code contributors} banks. */
  public double noiseStddevOfDecodedSum(int contributors) {
    return step() * maxWeight * Math.sqrt(contributors * 2.0 * poissonMeanPerBank());
  }

  /** The RDP step of one round at this round's own scale (the ledger charges {@link #accountingStep}, never less). */
  public SkellamStep roundStep() {
    double sigma = targetNoiseStddev();
    return new SkellamStep(l2Sensitivity(), l1Sensitivity(), sigma * sigma / 2, 1);
  }

  @Override
  public int[] encode(double[] update, long weight, RandomGenerator roundingCoins, RandomGenerator noiseSource) {
    if (weight < 1 || weight > maxWeight) {
      throw new IllegalArgumentException("sample count must be in [1, %d], got %d".formatted(maxWeight, weight));
    }
    if (update.length != vectorLength) {
      throw new IllegalArgumentException("update length must be %d, got %d".formatted(vectorLength, update.length));
    }
    double squared = 0;
    for (int i = 0; i < update.length; i++) {
      if (Double.isNaN(update[i]) || Double.isInfinite(update[i])) {
        throw new IllegalArgumentException("update value " + i + " is not finite");
      }
      squared += update[i] * update[i];
    }
    double norm = Math.sqrt(squared);
    // The encoding clips by itself: the sensitivity the noise is calibrated to must not depend on the caller.
    double shrink = norm > noise.clipNorm() ? noise.clipNorm() / norm : 1.0;
    double toUnits = shrink * ((double) weight / maxWeight) / step();
    SkellamNoise skellam = new SkellamNoise(poissonMeanPerBank(), noiseSource);
    int[] out = new int[QuantizedEncoding.encodedLength(update.length)];
    for (int i = 0; i < update.length; i++) {
      double u = update[i] * toUnits;
      double floor = Math.floor(u);
      long q = (long) floor;
      if (roundingCoins.nextDouble() < u - floor) {
        q++;
      }
      q = Math.max(-integerClip, Math.min(integerClip, q));
      // Adding in 64 bits and keeping the low 32 is addition mod 2^32, the group the masks live in.
      out[i] = (int) (q + skellam.sample());
    }
    out[update.length] = (int) (weight & 0xFFFF);
    out[update.length + 1] = (int) (weight >>> 16);
    return out;
  }

  @Override
  public QuantizedEncoding.DecodedSum decode(int[] sum, int contributors) {
    if (sum.length != QuantizedEncoding.encodedLength(vectorLength)) {
      throw new IllegalArgumentException("encoded sum must have %d words, got %d"
          .formatted(QuantizedEncoding.encodedLength(vectorLength), sum.length));
    }
    long totalWeight = Integer.toUnsignedLong(sum[vectorLength])
        + (Integer.toUnsignedLong(sum[vectorLength + 1]) << 16);
    if (totalWeight <= 0) {
      throw new IllegalArgumentException("decoded total weight is zero: the sum is not of valid encodings");
    }
    double unit = step() * maxWeight;
    double[] weightedSum = new double[vectorLength];
    double[] mean = new double[vectorLength];
    for (int i = 0; i < vectorLength; i++) {
      weightedSum[i] = unit * sum[i]; // the int is the centred (two's-complement) reading of the word
      mean[i] = weightedSum[i] / totalWeight;
    }
    return new QuantizedEncoding.DecodedSum(weightedSum, totalWeight, mean,
        contributors * unit / totalWeight);
  }

  @Override
  public String toString() {
    return "SkellamEncoding[members=%d, noiseShares=%d, vectorLength=%d, integerClip=%d, noiseMultiplier=%s]"
        .formatted(memberCount, noiseShares, vectorLength, integerClip, noise.noiseMultiplier());
  }

  /** Sk(lambda, lambda) variates from a secret generator; holds no noise value after a call returns. */
  static final class SkellamNoise {
    private final SharedStateDiscreteSampler poisson;
    private final int pieces;

    SkellamNoise(double poissonMean, RandomGenerator source) {
      UniformRandomProvider provider = source::nextLong;
      this.pieces = (int) Math.ceil(poissonMean / POISSON_CHUNK);
      this.poisson = PoissonSampler.of(provider, poissonMean / pieces);
    }

    long sample() {
      long value = 0;
      for (int p = 0; p < pieces; p++) {
        value += poisson.sample();
        value -= poisson.sample();
      }
      return value;
    }

    @Override
    public String toString() {
      return "SkellamNoise[<redacted>]";
    }
  }
}
