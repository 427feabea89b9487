package org.comity.agent.model;

import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * The secret randomness of DP-SGD: it decides which rows each step samples and seeds each step's Gaussian noise and
 * dropout masks.
 *
 * <p><b>Security property.</b> The DP guarantee holds only if whoever sees the model updates cannot predict or
 * reconstruct these values: knowing the noise would let them subtract it, and knowing the sampled rows voids the
 * amplification by subsampling that the accounting assumes. Production uses {@link #secure()}; the only other
 * factory, {@link #fixedForTesting(long)}, is named so that its use is greppable, and {@link FraudModel} logs a
 * warning whenever it trains privately with it. {@link #toString()} never shows state.
 *
 * <p>Each step draws fresh 64-bit values: one seeds a {@link SplittableRandom} that performs that step's Poisson
 * sampling, two per variable seed the graph's Philox noise, two per hidden layer seed the dropout masks.
 * Thread-safe.
 */
public final class NoiseSeeds {

  private final SecureRandom secureRandom;
  private final SplittableRandom testRandom;

  private NoiseSeeds(SecureRandom secureRandom, SplittableRandom testRandom) {
    this.secureRandom = secureRandom;
    this.testRandom = testRandom;
  }

  /** Seeds from a fresh {@link SecureRandom} (the platform default, seeded by the operating system). */
  public static NoiseSeeds secure() {
    return new NoiseSeeds(new SecureRandom(), null);
  }

  /**
   * Reproducible seeds for tests and benchmarks only: anyone who knows {@code seed} can remove the noise, so
   * training with these is NOT differentially private.
   */
  public static NoiseSeeds fixedForTesting(long seed) {
    return new NoiseSeeds(null, new SplittableRandom(seed));
  }

  /** Whether these seeds come from {@link SecureRandom}. */
  public boolean isSecure() {
    return secureRandom != null;
  }

  /** The next 64-bit seed. */
  synchronized long nextSeed() {
    return secureRandom != null ? secureRandom.nextLong() : testRandom.nextLong();
  }

  @Override
  public String toString() {
    return isSecure() ? "NoiseSeeds[SecureRandom]" : "NoiseSeeds[fixed for testing: NOT private]";
  }
}
