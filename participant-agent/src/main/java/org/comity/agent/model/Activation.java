package org.comity.agent.model;

import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.LeakyRelu;
import org.tensorflow.types.TFloat32;

/**
 * Activation applied after every hidden dense layer. The output layer never uses one: it emits a logit and
 * the sigmoid is applied separately (training uses a numerically stable loss on the logit).
 */
public enum Activation {
  /** {@code max(0, x)}; the default. */
  RELU("relu"),
  /** Hyperbolic tangent. */
  TANH("tanh"),
  /** {@code x} for {@code x > 0}, else {@code exp(x) - 1}. */
  ELU("elu"),
  /** {@code x} for {@code x > 0}, else {@code 0.2 * x} (TensorFlow's default slope, stated here explicitly). */
  LEAKY_RELU("leaky_relu");

  /** Negative-side slope of {@link #LEAKY_RELU}; part of the model definition, so fixed rather than configurable. */
  public static final float LEAKY_RELU_SLOPE = 0.2f;

  private final String configName;

  Activation(String configName) {
    this.configName = configName;
  }

  /** The lower-case name used in configuration files, e.g. {@code leaky_relu}. */
  public String configName() {
    return configName;
  }

  /**
   * Parses a configuration name (case-insensitive; {@code -} accepted for {@code _}).
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static Activation parse(String name) {
    if (name != null) {
      String normalised = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
      for (Activation activation : values()) {
        if (activation.configName.equals(normalised)) {
          return activation;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '%s'; allowed: relu, tanh, elu, leaky_relu".formatted(name));
  }

  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> preActivation) {
    switch (this) {
      case RELU:
        return tf.nn.relu(preActivation);
      case TANH:
        return tf.math.tanh(preActivation);
      case ELU:
        return tf.nn.elu(preActivation);
      case LEAKY_RELU:
        return tf.nn.leakyRelu(preActivation, LeakyRelu.alpha(LEAKY_RELU_SLOPE));
      default:
        throw new AssertionError(this);
    }
  }
}
