package org.comity.agent.model;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Class-weighted binary cross-entropy on logits, averaged over the batch.
 *
 * <p>Per row, with logit {@code z}, label {@code y} in {@code [0, 1]} and positive-class weight {@code w}:
 * {@code (1 + (w - 1) y) * (relu(z) - z y + log1p(exp(-|z|)))}. The second factor equals
 * {@code -y log(sigmoid(z)) - (1 - y) log(1 - sigmoid(z))} but never overflows {@code exp} and never takes
 * {@code log(0)}. The mean divides by the number of rows, not by the sum of weights, so {@code w} scales the
 * positives' share of the gradient (fraud is rare; {@code w > 1} counteracts the imbalance).
 */
final class WeightedBinaryCrossEntropy {

  private WeightedBinaryCrossEntropy() {}

  /** Scalar mean weighted loss of {@code logits [rows]} against {@code labels [rows]}. */
  static Operand<TFloat32> meanLoss(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> labels, Operand<TFloat32> positiveClassWeight) {
    return tf.math.mean(perRowLoss(tf, logits, labels, positiveClassWeight), tf.constant(0));
  }

  /** Weighted loss of each row, {@code [rows]}; DP-SGD differentiates its sum. */
  static Operand<TFloat32> perRowLoss(
      Ops tf, Operand<TFloat32> logits, Operand<TFloat32> labels, Operand<TFloat32> positiveClassWeight) {
    Operand<TFloat32> perRow =
        tf.math.add(
            tf.math.sub(tf.nn.relu(logits), tf.math.mul(logits, labels)),
            tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
    Operand<TFloat32> rowWeight =
        tf.math.add(tf.constant(1.0f), tf.math.mul(tf.math.sub(positiveClassWeight, tf.constant(1.0f)), labels));
    return tf.math.mul(rowWeight, perRow);
  }
}
