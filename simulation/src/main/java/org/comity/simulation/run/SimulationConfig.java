package org.comity.simulation.run;

import java.nio.file.Path;

/**
 * What to simulate.
 *
 * @param planFile federation plan, or {@code null} to use the built-in plan (synthetic) or infer one from the CSV
 * @param banks number of virtual banks
 * @param rounds training rounds, or {@code null} to keep the plan's count
 * @param seed seed of the data, partition and plan; same seed, same numbers
 * @param data a real labelled CSV to partition across the banks, or {@code null} for the synthetic consortium
 * @param test the test CSV for {@code data} (required with it)
 * @param label label column of {@code data}
 * @param partition partition of {@code data}: {@code iid}, {@code dirichlet:ALPHA}, {@code size:ALPHA}
 * @param outDir where bank files, logs and {@code results.json} go
 * @param threadsPerBank TensorFlow intra-op threads per bank
 * @param secureAggregation turn secure aggregation on in the built-in or inferred plan (a given plan decides itself)
 * @param epsilonCeiling every bank's own DP-SGD epsilon ceiling, when the plan enables sample-level privacy
 * @param privacySweep target epsilons of a DP-SGD privacy/utility sweep after the three regimes (empty: none)
 */
public record SimulationConfig(Path planFile, int banks, Integer rounds, long seed, Path data, Path test, String label,
    String partition, Path outDir, int threadsPerBank, boolean secureAggregation, Double epsilonCeiling,
    java.util.List<Double> privacySweep) {

  /** A config without a privacy sweep. */
  public SimulationConfig(Path planFile, int banks, Integer rounds, long seed, Path data, Path test, String label,
      String partition, Path outDir, int threadsPerBank, boolean secureAggregation, Double epsilonCeiling) {
    this(planFile, banks, rounds, seed, data, test, label, partition, outDir, threadsPerBank, secureAggregation,
        epsilonCeiling, java.util.List.of());
  }

  /** A config without bank epsilon ceilings. */
  public SimulationConfig(Path planFile, int banks, Integer rounds, long seed, Path data, Path test, String label,
      String partition, Path outDir, int threadsPerBank, boolean secureAggregation) {
    this(planFile, banks, rounds, seed, data, test, label, partition, outDir, threadsPerBank, secureAggregation, null);
  }

  /** A config with secure aggregation as the plan says (off for built-in plans). */
  public SimulationConfig(Path planFile, int banks, Integer rounds, long seed, Path data, Path test, String label,
      String partition, Path outDir, int threadsPerBank) {
    this(planFile, banks, rounds, seed, data, test, label, partition, outDir, threadsPerBank, false);
  }

  public SimulationConfig {
    if (banks < 2 || banks > 200) {
      throw new IllegalArgumentException("--banks must be 2 to 200, got " + banks);
    }
    if (rounds != null && (rounds < 1 || rounds > 100_000)) {
      throw new IllegalArgumentException("--rounds must be 1 to 100000, got " + rounds);
    }
    if (data != null && test == null) {
      throw new IllegalArgumentException("--data needs --test: the three regimes are compared on a separate test CSV");
    }
    if (data == null && test != null) {
      throw new IllegalArgumentException("--test is only used with --data");
    }
    if (secureAggregation && planFile != null) {
      throw new IllegalArgumentException("--secure-aggregation applies to the built-in plan; with --plan, set "
          + "secure_aggregation.enabled in the plan");
    }
    if (secureAggregation && banks < 3) {
      throw new IllegalArgumentException("--secure-aggregation needs at least 3 banks, got " + banks);
    }
    if (epsilonCeiling != null && !(epsilonCeiling > 0 && Double.isFinite(epsilonCeiling))) {
      throw new IllegalArgumentException("--epsilon-ceiling must be a positive number, got " + epsilonCeiling);
    }
    privacySweep = java.util.List.copyOf(privacySweep);
    for (double epsilon : privacySweep) {
      if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
        throw new IllegalArgumentException("--privacy-sweep: each epsilon must be a positive number, got " + epsilon);
      }
    }
    if (threadsPerBank < 1) {
      throw new IllegalArgumentException("threads per bank must be >= 1, got " + threadsPerBank);
    }
  }
}
