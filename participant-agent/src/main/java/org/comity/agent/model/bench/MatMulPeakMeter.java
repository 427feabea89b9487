package org.comity.agent.model.bench;

import org.comity.agent.model.SessionThreads;
import org.comity.agent.model.TrainingDevice;
import org.comity.agent.model.TrainingSessionFactory;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Times one {@code n x n} float32 matrix product of two variables in TensorFlow, on a given device with the training
 * session's configuration. Only the product runs: nothing is fed or fetched, so the time is the kernel's.
 * Owns a graph and a session; close it.
 */
final class MatMulPeakMeter implements AutoCloseable {

  private final Graph graph;
  private final Session session;
  private final Op product;

  MatMulPeakMeter(int matrixSize, TrainingDevice device, SessionThreads threads) {
    this.graph = new Graph();
    Session opened = null;
    try {
      Ops tf = Ops.create(graph).withDevice(device.placement());
      Variable<TFloat32> a =
          tf.withName("peak_a")
              .variable(tf.random.statelessRandomUniform(tf.array(matrixSize, matrixSize), tf.array(1L, 2L)));
      Variable<TFloat32> b =
          tf.withName("peak_b")
              .variable(tf.random.statelessRandomUniform(tf.array(matrixSize, matrixSize), tf.array(3L, 4L)));
      this.product = tf.withName("peak_product").linalg.matMul(a, b);
      opened = new Session(graph, TrainingSessionFactory.sessionConfig(device, threads));
      opened.initialize();
      this.session = opened;
    } catch (RuntimeException | Error e) {
      if (opened != null) {
        opened.close();
      }
      graph.close();
      throw e;
    }
  }

  /** Wall-clock seconds of one product. */
  double timeOneProduct() {
    long start = System.nanoTime();
    try (Result ignored = session.runner().addTarget(product).run()) {
      // only the product runs; nothing is fetched
    }
    return (System.nanoTime() - start) / 1e9;
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}
