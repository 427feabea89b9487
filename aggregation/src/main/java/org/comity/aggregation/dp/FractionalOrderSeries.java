package org.comity.aggregation.dp;

/**
 * How the infinite series for {@code A_alpha} at a fractional Renyi order treats its negative terms.
 *
 * <p>For a non-integer order the binomial coefficients {@code C(alpha, i)} change sign once {@code i > alpha}.
 * {@code dp_accounting} 0.4.4 and later add the absolute value of every term, which can only over-state privacy loss
 * (a safe upper bound that also never needs a log-space subtraction). Opacus and older TensorFlow Privacy subtract the
 * negative terms. Comity uses {@link #ABSOLUTE_TERMS}; {@link #SIGNED_TERMS} exists only so a test can pin the
 * published numbers of the other libraries, and is deliberately not reachable from the public API.
 */
enum FractionalOrderSeries {
  /** Sum of absolute values: an upper bound; the rule of {@code dp_accounting} since 0.4.4. */
  ABSOLUTE_TERMS,
  /** Signed sum: the rule of Opacus and TensorFlow Privacy; test-only. */
  SIGNED_TERMS
}
