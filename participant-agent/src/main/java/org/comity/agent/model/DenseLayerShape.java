package org.comity.agent.model;

/**
 * Shape of one dense layer: a kernel {@code [inputs x outputs]} and a bias {@code [outputs]}.
 *
 * <p>In the flat weight vector (see {@link ModelArchitecture}) a layer occupies {@link #parameterCount()}
 * consecutive floats: first the kernel row-major (element {@code (i, o)} at {@code i * outputs + o}), then the bias.
 */
public record DenseLayerShape(int inputs, int outputs) {

  public DenseLayerShape {
    if (inputs < 1 || outputs < 1) {
      throw new IllegalArgumentException(
          "dense layer needs inputs >= 1 and outputs >= 1, got %d x %d".formatted(inputs, outputs));
    }
  }

  /** Number of kernel entries, {@code inputs * outputs}. */
  public long kernelSize() {
    return (long) inputs * outputs;
  }

  /** Kernel plus bias entries, {@code inputs * outputs + outputs}. */
  public long parameterCount() {
    return kernelSize() + outputs;
  }

  /** Multiply-accumulate operations of the forward matrix product for one row: {@code inputs * outputs}. */
  public long multiplyAccumulatesPerRow() {
    return kernelSize();
  }
}
