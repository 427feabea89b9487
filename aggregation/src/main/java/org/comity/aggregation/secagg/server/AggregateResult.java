package org.comity.aggregation.secagg.server;

import java.util.List;

/**
 * The only plaintext the coordinator ever learns: the sum over the contributing banks.
 *
 * @param contributors banks whose masked inputs are in the sum (sorted)
 * @param droppedAfterSharing banks that shared keys but sent no masked input (their pairwise masks
 *     were removed with their reconstructed keys)
 * @param encodedSum the unmasked sum of the encodings, each word read as unsigned (update words,
 *     then the two weight words)
 * @param weightedSum sum of w_j * clip(x_j) per coordinate
 * @param totalWeight sum of the contributors' sample counts
 * @param weightedMean weightedSum / totalWeight: the FedAvg update
 * @param meanErrorBound quantization error bound per coordinate of {@code weightedMean}
 */
public record AggregateResult(List<String> contributors, List<String> droppedAfterSharing, long[] encodedSum,
    double[] weightedSum, long totalWeight, double[] weightedMean, double meanErrorBound) {
  public AggregateResult {
    contributors = List.copyOf(contributors);
    droppedAfterSharing = List.copyOf(droppedAfterSharing);
    encodedSum = encodedSum.clone();
    weightedSum = weightedSum.clone();
    weightedMean = weightedMean.clone();
  }

  @Override
  public long[] encodedSum() {
    return encodedSum.clone();
  }

  @Override
  public double[] weightedSum() {
    return weightedSum.clone();
  }

  @Override
  public double[] weightedMean() {
    return weightedMean.clone();
  }

  @Override
  public String toString() {
    return "AggregateResult[contributors=" + contributors.size() + ", dropped=" + droppedAfterSharing.size()
        + ", length=" + weightedMean.length + ", totalWeight=" + totalWeight + ", meanErrorBound=" + meanErrorBound + "]";
  }
}
