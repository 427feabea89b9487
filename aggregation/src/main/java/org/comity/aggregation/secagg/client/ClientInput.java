package org.comity.aggregation.secagg.client;

/**
 * One bank's plaintext contribution: its model update and its sample count (the FedAvg weight).
 * Plaintext of a bank: prints redacted and is never sent; only its masked encoding leaves the bank.
 */
public record ClientInput(double[] update, long weight) {
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
