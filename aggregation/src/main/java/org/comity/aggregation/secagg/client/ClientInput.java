package org.comity.aggregation.secagg.client;

/**
 * One bank's plaintext contribution: its model update and its sample count (the FedAvg weight).
 * Plaintext of a bank: prints redacted and is never sent; only its masked encoding leaves the bank.
 *
 * @param roundingSeed seed of the stochastic-rounding coins, or {@code null} to draw them from the client's
 *     {@code SecureRandom}. A seed makes the encoding of the same update reproducible, so that a round retried after
 *     a coordinator restart sums exactly what the first attempt would have. The coins need no secrecy: the encoding
 *     only ever leaves the bank masked, and the unmasked sum is all anyone learns either way.
 */
public record ClientInput(double[] update, long weight, Long roundingSeed) {
  /** An input whose rounding coins come from the client's {@code SecureRandom}. */
  public ClientInput(double[] update, long weight) {
    this(update, weight, null);
  }

  public ClientInput {
    if (update == null) {
      throw new IllegalArgumentException("update must not be null");
    }
    update = update.clone();
  }

  @Override
  public double[] update() {
    return update.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o == this;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "ClientInput[length=" + update.length + ", update=<redacted>, weight=<redacted>]";
  }
}
