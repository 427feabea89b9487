package org.comity.agent.model;

import java.util.SplittableRandom;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One DP-SGD epoch on a {@link FraudModel}'s session: Poisson-sample each step's batch in Java, feed it with a
 * dynamic batch dimension, run {@link FraudModelGraph#dpSgdTrainStep}. The caller validates and serialises. Every
 * random choice of a step (sampling, noise seeds, dropout seeds) comes from the secret {@link NoiseSeeds}.
 */
final class DpSgdEpoch {

  private DpSgdEpoch() {}

  static PrivateEpochResult run(
      Session session,
      FraudModelGraph ops,
      ModelArchitecture architecture,
      float[] featuresRowMajor,
      float[] labels,
      int rows,
      float positiveClassWeight,
      DpSgdSettings settings,
      NoiseSeeds noise) {
    int width = architecture.inputWidth();
    double samplingRate = settings.samplingRate(rows);
    int steps = settings.stepsPerEpoch(rows);
    int variables = architecture.layers().size() * 2;
    DpSgdGraph dp = ops.dpSgd;

    double lossSum = 0.0;
    long rowsSampled = 0;
    try (TFloat32 classWeight = TFloat32.scalarOf(positiveClassWeight);
        TFloat32 clipNorm = TFloat32.scalarOf((float) settings.clipNorm());
        TFloat32 noiseStddev = TFloat32.scalarOf((float) settings.noiseStandardDeviation());
        TFloat32 denominator = TFloat32.scalarOf((float) settings.expectedBatchSize())) {
      for (int step = 0; step < steps; step++) {
        int[] batch = PoissonSampler.sample(rows, samplingRate, new SplittableRandom(noise.nextSeed()));
        float[] batchFeatures = new float[batch.length * width];
        float[] batchLabels = new float[batch.length];
        for (int r = 0; r < batch.length; r++) {
          System.arraycopy(featuresRowMajor, batch[r] * width, batchFeatures, r * width, width);
          batchLabels[r] = labels[batch[r]];
        }
        long[] noiseSeeds = new long[variables * 2];
        for (int i = 0; i < noiseSeeds.length; i++) {
          noiseSeeds[i] = noise.nextSeed();
        }
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(batch.length, width), DataBuffers.of(batchFeatures, true, false));
            TFloat32 y = TFloat32.tensorOf(Shape.of(batch.length), DataBuffers.of(batchLabels, true, false));
            TInt64 seeds = TInt64.tensorOf(Shape.of(variables, 2), DataBuffers.of(noiseSeeds, true, false));
            TInt64 dropoutSeeds = ops.dropoutSeeds == null ? null : dropoutSeeds(architecture, noise)) {
          Session.Runner runner =
              session.runner()
                  .feed(ops.features, x)
                  .feed(ops.labels, y)
                  .feed(ops.positiveClassWeight, classWeight)
                  .feed(dp.clipNorm, clipNorm)
                  .feed(dp.noiseStddev, noiseStddev)
                  .feed(dp.denominator, denominator)
                  .feed(dp.noiseSeeds, seeds)
                  .addTarget(ops.dpSgdTrainStep)
                  .fetch(dp.lossSum);
          if (dropoutSeeds != null) {
            runner.feed(ops.dropoutSeeds, dropoutSeeds);
          }
          try (Result result = runner.run()) {
            lossSum += ((TFloat32) result.get(0)).getFloat();
          }
        }
        rowsSampled += batch.length;
      }
    }
    double meanLoss = rowsSampled == 0 ? Double.NaN : lossSum / rowsSampled;
    return new PrivateEpochResult(meanLoss, rowsSampled, steps, settings.privacyCost(rows, 1));
  }

  /**
   * Dropout seeds from the secret source, not from a caller's seed: the graph draws masks by batch POSITION, and a
   * row's position depends on which other rows were sampled, so with known seeds adding one row would change the
   * masks (and clipped gradients) of the rows after it, and the sensitivity would exceed C. With secret seeds the
   * masks are i.i.d. per position and hence per row, independent of the data, and the bound C holds for each row.
   */
  private static TInt64 dropoutSeeds(ModelArchitecture architecture, NoiseSeeds noise) {
    int hidden = architecture.hiddenUnits().size();
    long[] seeds = new long[hidden * 2];
    for (int i = 0; i < seeds.length; i++) {
      seeds[i] = noise.nextSeed();
    }
    return TInt64.tensorOf(Shape.of(hidden, 2), DataBuffers.of(seeds, true, false));
  }
}
