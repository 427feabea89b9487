package org.comity.agent.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam written with raw ops so that one step is deterministic.
 *
 * <p>Why not TF Java's framework {@code Adam}: it updates the beta powers unordered against {@code ApplyAdam}
 * (one step gave one of four values across sessions), and ungated {@code ApplyAdam} on reference variables
 * overwrites weights while back-propagation still reads them. Here every {@code ApplyAdam} has a control dependency
 * on ALL gradients, so no weight changes before the whole backward pass has finished, and the beta-power updates
 * have a control dependency on every {@code ApplyAdam}, so each step uses {@code beta^t} of its own step. With this
 * ordering training is bit-identical across runs on one CPU.
 *
 * <p>Slots are flat-named {@code <variable>_m}, {@code <variable>_v}; beta powers are {@code adam_beta1_power},
 * {@code adam_beta2_power} and start at {@code beta1}, {@code beta2} (ApplyAdam's {@code t = 1} convention).
 *
 * <p>{@link #additionalStep} adds another gated step over the same slots driven by given gradients (the DP-SGD
 * step), so plain and private training share one Adam state and one {@link #reset()}.
 */
final class GatedAdamOptimizer {

  private final Op step;
  private final Op reset;
  // --- DP-SGD: state kept so that further gated steps (e.g. the DP-SGD step) share these slots ---
  private final List<Variable<TFloat32>> variables;
  private final List<Variable<TFloat32>> firstMoments;
  private final List<Variable<TFloat32>> secondMoments;
  private final Variable<TFloat32> beta1Power;
  private final Variable<TFloat32> beta2Power;
  private final Operand<TFloat32> learningRate;
  private final Operand<TFloat32> beta1Constant;
  private final Operand<TFloat32> beta2Constant;
  private final Operand<TFloat32> epsilon;

  private GatedAdamOptimizer(
      Op step,
      Op reset,
      List<Variable<TFloat32>> variables,
      List<Variable<TFloat32>> firstMoments,
      List<Variable<TFloat32>> secondMoments,
      Variable<TFloat32> beta1Power,
      Variable<TFloat32> beta2Power,
      Operand<TFloat32> learningRate,
      Operand<TFloat32> beta1Constant,
      Operand<TFloat32> beta2Constant,
      Operand<TFloat32> epsilon) {
    this.step = step;
    this.reset = reset;
    this.variables = List.copyOf(variables);
    this.firstMoments = List.copyOf(firstMoments);
    this.secondMoments = List.copyOf(secondMoments);
    this.beta1Power = beta1Power;
    this.beta2Power = beta2Power;
    this.learningRate = learningRate;
    this.beta1Constant = beta1Constant;
    this.beta2Constant = beta2Constant;
    this.epsilon = epsilon;
  }

  /**
   * Adds gradients of {@code loss} with respect to {@code variables}, the slots and the gated update to the graph.
   * Slot and update ops are built through {@code tf} (and thus carry its device); the gradient ops come from
   * {@link Graph#addGradients} and are placed by TensorFlow's placer.
   */
  static GatedAdamOptimizer minimize(
      Graph graph,
      Ops tf,
      Operand<TFloat32> loss,
      List<Variable<TFloat32>> variables,
      TrainingHyperparameters hyperparameters) {
    Output<?>[] variableOutputs = new Output<?>[variables.size()];
    for (int index = 0; index < variables.size(); index++) {
      variableOutputs[index] = variables.get(index).asOutput();
    }
    Output<?>[] gradientOutputs = graph.addGradients(loss.asOutput(), variableOutputs);
    List<Operand<TFloat32>> gradients = new ArrayList<>(gradientOutputs.length);
    for (Output<?> gradient : gradientOutputs) {
      gradients.add(gradient.expect(TFloat32.class));
    }

    float beta1 = (float) hyperparameters.beta1();
    float beta2 = (float) hyperparameters.beta2();
    Variable<TFloat32> beta1Power = tf.withName("adam_beta1_power").variable(tf.constant(beta1));
    Variable<TFloat32> beta2Power = tf.withName("adam_beta2_power").variable(tf.constant(beta2));
    Operand<TFloat32> learningRate = tf.constant((float) hyperparameters.learningRate());
    Operand<TFloat32> beta1Constant = tf.constant(beta1);
    Operand<TFloat32> beta2Constant = tf.constant(beta2);
    Operand<TFloat32> epsilon = tf.constant((float) hyperparameters.epsilon());

    List<Variable<TFloat32>> firstMoments = new ArrayList<>();
    List<Variable<TFloat32>> secondMoments = new ArrayList<>();
    List<Op> resets = new ArrayList<>();
    for (Variable<TFloat32> variable : variables) {
      String name = variable.op().name();
      Variable<TFloat32> firstMoment = tf.withName(name + "_m").variable(tf.zerosLike(variable));
      Variable<TFloat32> secondMoment = tf.withName(name + "_v").variable(tf.zerosLike(variable));
      firstMoments.add(firstMoment);
      secondMoments.add(secondMoment);
      resets.add(tf.assign(firstMoment, tf.zerosLike(firstMoment)));
      resets.add(tf.assign(secondMoment, tf.zerosLike(secondMoment)));
    }
    resets.add(tf.assign(beta1Power, tf.constant(beta1)));
    resets.add(tf.assign(beta2Power, tf.constant(beta2)));
    Op reset = tf.withName("adam_reset").withControlDependencies(resets).noOp();

    GatedAdamOptimizer slots = new GatedAdamOptimizer(null, reset, variables, firstMoments, secondMoments,
        beta1Power, beta2Power, learningRate, beta1Constant, beta2Constant, epsilon);
    Op step = slots.gatedStep(tf, gradients, "adam_step");
    return new GatedAdamOptimizer(step, reset, variables, firstMoments, secondMoments,
        beta1Power, beta2Power, learningRate, beta1Constant, beta2Constant, epsilon);
  }

  /**
   * A further gated Adam step on the same variables, moments and beta powers, driven by {@code gradients}
   * (index-aligned with the variables) instead of the loss gradients; used for the DP-SGD step, whose noised
   * gradients replace the plain ones. The same ordering holds: every {@code ApplyAdam} waits for every op producing
   * {@code gradients}, so these must be computed from the variables' pre-step values only.
   */
  Op additionalStep(Ops tf, List<Operand<TFloat32>> gradients, String name) {
    if (gradients.size() != variables.size()) {
      throw new IllegalArgumentException(
          "need one gradient per variable: %d gradients for %d variables".formatted(gradients.size(),
              variables.size()));
    }
    return gatedStep(tf, gradients, name);
  }

  private Op gatedStep(Ops tf, List<Operand<TFloat32>> gradients, String name) {
    List<org.tensorflow.Operation> allGradients = new ArrayList<>();
    for (Operand<TFloat32> gradient : gradients) {
      allGradients.add(gradient.op());
    }
    Ops afterAllGradients = tf.withControlDependencyOps(allGradients);

    List<Op> updates = new ArrayList<>();
    for (int index = 0; index < variables.size(); index++) {
      updates.add(
          afterAllGradients.train.applyAdam(
              variables.get(index),
              firstMoments.get(index),
              secondMoments.get(index),
              beta1Power,
              beta2Power,
              learningRate,
              beta1Constant,
              beta2Constant,
              epsilon,
              gradients.get(index)));
    }
    Ops afterAllUpdates = tf.withControlDependencies(updates);
    Op advanceBeta1 = afterAllUpdates.assign(beta1Power, afterAllUpdates.math.mul(beta1Power, beta1Constant));
    Op advanceBeta2 = afterAllUpdates.assign(beta2Power, afterAllUpdates.math.mul(beta2Power, beta2Constant));
    return tf.withName(name).withControlDependencies(List.of(advanceBeta1, advanceBeta2)).noOp();
  }

  /** One Adam step on every variable, then the beta-power advance. */
  Op step() {
    return step;
  }

  /** Moments to zero and beta powers to their initial values. */
  Op reset() {
    return reset;
  }
}
