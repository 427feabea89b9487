package org.comity.aggregation.secagg;

import java.util.random.RandomGenerator;

/**
 * How a bank's update becomes words of Z_{2^32} before masking, and how the unmasked sum is read back. Every party
 * of a round derives the same encoding from the {@link SecAggConfig}.
 */
public sealed interface UpdateEncoding permits QuantizedEncoding, SkellamEncoding {

  /**
   * Encodes one bank's update and sample count.
   *
   * @param roundingCoins randomness of the stochastic rounding (may be seeded: the coins need no secrecy)
   * @param noiseSource randomness of the bank's share of distributed noise, if the encoding adds any; must be
   *     secret and never seeded from anything the coordinator knows (a {@code SecureRandom})
   * @throws IllegalArgumentException for a weight outside [1, maxWeight] or a NaN value
   */
  int[] encode(double[] update, long weight, RandomGenerator roundingCoins, RandomGenerator noiseSource);

  /**
   * Decodes the unmasked sum of {@code contributors} banks' encodings.
   *
   * @throws IllegalArgumentException if the length is wrong or the weight sum is zero
   */
  QuantizedEncoding.DecodedSum decode(int[] sum, int contributors);
}
