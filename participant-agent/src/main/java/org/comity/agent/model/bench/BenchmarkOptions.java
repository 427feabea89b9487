package org.comity.agent.model.bench;

import java.util.List;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;

/**
 * What {@link TrainingThroughputBenchmark} measures and how long.
 *
 * @param inputWidth features per synthetic row (the default model is {@code inputWidth -> 128 -> 64 -> 32 -> 1})
 * @param rows synthetic rows per epoch
 * @param batchSizes batch sizes to measure, each a separate model
 * @param warmupEpochs untimed epochs before timing (the first epochs are 20-50% slower)
 * @param timedEpochs timed epochs; the median is reported
 * @param matmulSize {@code n} of the {@code n x n} float32 matrix product that measures peak FLOP/s
 * @param matmulWarmups untimed matrix products before any training
 * @param matmulRepeats timed matrix products after each timed epoch (interleaved with training); the median of all
 *     of them is reported
 * @param device training device
 * @param threads session threads for training and the matrix product alike
 * @param seed seed of the synthetic data and the model
 */
public record BenchmarkOptions(
    int inputWidth,
    int rows,
    List<Integer> batchSizes,
    int warmupEpochs,
    int timedEpochs,
    int matmulSize,
    int matmulWarmups,
    int matmulRepeats,
    DeviceSelection device,
    SessionThreads threads,
    long seed) {

  public BenchmarkOptions {
    if (inputWidth < 1 || rows < 1) {
      throw new IllegalArgumentException("inputWidth and rows must be >= 1, got %d, %d".formatted(inputWidth, rows));
    }
    if ((long) inputWidth * rows > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("rows x inputWidth must fit in one float[], got %d x %d"
          .formatted(rows, inputWidth));
    }
    if (batchSizes == null || batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b == null || b < 1)) {
      throw new IllegalArgumentException("batchSizes must be a non-empty list of values >= 1, got " + batchSizes);
    }
    batchSizes = List.copyOf(batchSizes);
    if (warmupEpochs < 0 || timedEpochs < 1) {
      throw new IllegalArgumentException(
          "need warmupEpochs >= 0 and timedEpochs >= 1, got %d, %d".formatted(warmupEpochs, timedEpochs));
    }
    if (matmulSize < 1 || matmulSize > 16_384 || matmulWarmups < 0 || matmulRepeats < 1) {
      throw new IllegalArgumentException(
          "need 1 <= matmulSize <= 16384, matmulWarmups >= 0, matmulRepeats >= 1, got %d, %d, %d"
              .formatted(matmulSize, matmulWarmups, matmulRepeats));
    }
    if (device == null || threads == null) {
      throw new IllegalArgumentException("device and threads must not be null");
    }
  }

  /**
   * The documented benchmark: 30 inputs, 100,000 rows, batches 256 and 1024, 5 warm-up and 7 timed epochs,
   * 2048 x 2048 matrix product (2 warm-up, then 1 timed after every timed epoch: 14), automatic device, one
   * intra-op thread per processor.
   */
  public static BenchmarkOptions defaults() {
    return new BenchmarkOptions(
        30, 100_000, List.of(256, 1024), 5, 7, 2048, 2, 1, DeviceSelection.auto(),
        SessionThreads.forThisMachine(), 20_261_127L);
  }
}
