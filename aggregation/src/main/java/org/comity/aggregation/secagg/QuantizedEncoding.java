package org.comity.aggregation.secagg;

import java.security.SecureRandom;

/**
 * Fixed-point encoding of a weighted update into Z_{2^32}, the group the masks live in.
 *
 * <p><b>Layout.</b> A bank with update {@code x} (length L) and sample count {@code w} (1 <= w <=
 * maxWeight) sends L + 2 words: word i (i < L) encodes v_i = (w / maxWeight) * clip(x_i) in [-c, c];
 * word L holds the low 16 bits of w and word L+1 the high 16 bits. The sample count therefore
 * travels only inside the masked vector; the coordinator learns just the sum of the counts.
 *
 * <p><b>Why 32 bits.</b> The masked upload is L + 2 little-endian 32-bit words, i.e. 1.00002x the
 * float32 size of the update for L = 100K (goal: at most 1.05x). The sum of n banks must not wrap
 * mod 2^32, so each value gets {@code valueBits = 32 - ceil(log2 n)} bits: v_i maps to
 * u = (v_i + c) / step with step = 2c / (2^valueBits - 1), stochastically rounded to floor(u) or
 * floor(u) + 1 (unbiased), so the sum of n words is at most n (2^valueBits - 1) < 2^32. The weight
 * halves are below 2^16 each, so their sums fit for n <= 65536.
 *
 * <p><b>Error bound.</b> Stochastic rounding moves each encoded value by less than one {@code step},
 * so with s contributing banks the decoded sum of v differs from the exact sum by less than {@code s
 * * step}, and the decoded weighted mean sum(w_j clip(x_j)) / sum(w_j) differs from the exact
 * weighted mean of the clipped updates by less than {@code s * step * maxWeight / sum(w_j)} per
 * coordinate ({@link #weightedMeanErrorBound}). Values outside [-c, c] are clipped first; the bound
 * is about the clipped values.
 *
 * @param clipBound c: each update coordinate is clipped to [-c, c]
 * @param maxWeight largest sample count a bank may report, at most 2^32 - 1
 * @param memberCount n: the most banks whose words are ever summed
 */
public record QuantizedEncoding(double clipBound, long maxWeight, int memberCount) implements UpdateEncoding {
  public static final int MODULUS_BITS = 32;
  /** Words appended after the update: low and high 16 bits of the sample count. */
  public static final int WEIGHT_WORDS = 2;

  public QuantizedEncoding {
    if (!(clipBound > 0) || Double.isInfinite(clipBound)) {
      throw new IllegalArgumentException("clip bound must be positive and finite, got " + clipBound);
    }
    if (maxWeight < 1 || maxWeight > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("max weight must be in [1, 2^32 - 1], got " + maxWeight);
    }
    if (memberCount < 1 || memberCount > 65_536) {
      throw new IllegalArgumentException("member count must be in [1, 65536], got " + memberCount);
    }
  }

  /** Bits per encoded value: 32 - ceil(log2(n)). */
  public int valueBits() {
    return MODULUS_BITS - (32 - Integer.numberOfLeadingZeros(memberCount - 1));
  }

  /** Largest encoded value, 2^valueBits - 1. */
  public long levels() {
    return (1L << valueBits()) - 1;
  }

  /** One quantization step in units of the (weight-scaled) update. */
  public double step() {
    return 2 * clipBound / levels();
  }

  /** Number of 32-bit words for an update of {@code updateLength} values. */
  public static int encodedLength(int updateLength) {
    return updateLength + WEIGHT_WORDS;
  }

  /**
   * Encodes {@code update} with sample count {@code weight}; rounding randomness from {@code random}.
   *
   * @throws IllegalArgumentException for a weight outside [1, maxWeight] or a NaN value
   */
  public int[] encode(double[] update, long weight, java.util.random.RandomGenerator random) {
    if (weight < 1 || weight > maxWeight) {
      throw new IllegalArgumentException("sample count must be in [1, %d], got %d".formatted(maxWeight, weight));
    }
    double scale = (double) weight / maxWeight;
    double step = step();
    long levels = levels();
    byte[] coins = new byte[update.length * 4];
    random.nextBytes(coins);
    int[] out = new int[encodedLength(update.length)];
    for (int i = 0; i < update.length; i++) {
      double x = update[i];
      if (Double.isNaN(x)) {
        throw new IllegalArgumentException("update value " + i + " is NaN");
      }
      double clipped = Math.max(-clipBound, Math.min(clipBound, x));
      double u = (scale * clipped + clipBound) / step;
      double floor = Math.floor(u);
      long q = (long) floor;
      int c = i * 4;
      long coin = (coins[c] & 0xffL) | (coins[c + 1] & 0xffL) << 8 | (coins[c + 2] & 0xffL) << 16
          | (coins[c + 3] & 0xffL) << 24;
      if (coin < (long) ((u - floor) * 4294967296.0)) {
        q++;
      }
      out[i] = (int) Math.max(0, Math.min(levels, q));
    }
    out[update.length] = (int) (weight & 0xFFFF);
    out[update.length + 1] = (int) (weight >>> 16);
    return out;
  }

  /** As {@link #encode(double[], long, java.util.random.RandomGenerator)}: this encoding adds no noise. */
  @Override
  public int[] encode(double[] update, long weight, java.util.random.RandomGenerator roundingCoins,
      java.util.random.RandomGenerator noiseSource) {
    return encode(update, weight, roundingCoins);
  }

  /**
   * Decodes the unmasked sum of {@code contributors} banks' encodings.
   *
   * @throws IllegalArgumentException if the length is wrong or the weight sum is zero
   */
  @Override
  public DecodedSum decode(int[] sum, int contributors) {
    if (sum.length < WEIGHT_WORDS) {
      throw new IllegalArgumentException("encoded sum too short: " + sum.length + " words");
    }
    int length = sum.length - WEIGHT_WORDS;
    long totalWeight = Integer.toUnsignedLong(sum[length]) + (Integer.toUnsignedLong(sum[length + 1]) << 16);
    if (totalWeight <= 0) {
      throw new IllegalArgumentException("decoded total weight is zero: the sum is not of valid encodings");
    }
    double step = step();
    double[] weightedSum = new double[length];
    double[] mean = new double[length];
    for (int i = 0; i < length; i++) {
      double scaledSum = step * Integer.toUnsignedLong(sum[i]) - contributors * clipBound;
      weightedSum[i] = scaledSum * maxWeight;
      mean[i] = weightedSum[i] / totalWeight;
    }
    return new DecodedSum(weightedSum, totalWeight, mean, weightedMeanErrorBound(contributors, totalWeight));
  }

  /** Per-coordinate bound on |decoded weighted mean - exact weighted mean of the clipped updates|. */
  public double weightedMeanErrorBound(int contributors, long totalWeight) {
    return contributors * step() * maxWeight / totalWeight;
  }

  /**
   * @param weightedSum sum over contributors of w_j * clip(x_j), per coordinate
   * @param totalWeight sum of the contributors' sample counts
   * @param weightedMean weightedSum / totalWeight: the FedAvg update
   * @param meanErrorBound per-coordinate quantization error bound on {@code weightedMean}
   */
  public record DecodedSum(double[] weightedSum, long totalWeight, double[] weightedMean, double meanErrorBound) {}
}
