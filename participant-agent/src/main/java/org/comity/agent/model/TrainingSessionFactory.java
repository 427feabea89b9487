package org.comity.agent.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

/**
 * Turns a {@link DeviceSelection} and {@link SessionThreads} into a concrete {@link TrainingDevice} and a
 * {@link ConfigProto}.
 *
 * <p>Guarantees, by construction (the GPU half cannot be exercised on a CPU-only machine):
 * <ul>
 *   <li>CPU: the session is created with {@code device_count {GPU: 0}}, so even with the GPU build of TensorFlow
 *       on a GPU host no op, including TensorFlow-generated gradient ops, can land on a GPU.
 *   <li>GPU N: the GPU is first probed with soft placement OFF (an identity op pinned to it must run); if TensorFlow
 *       cannot place it, creation fails instead of silently training on CPU. The training session then has
 *       {@code visible_device_list = "N"}, {@code allow_growth} (banks may share the card) and
 *       {@code allow_soft_placement}, so ops without a GPU kernel (e.g. int64 index arithmetic) fall back to CPU.
 *   <li>AUTO: probes GPU 0; GPU 0 if the probe succeeds, otherwise CPU. Probe results are cached per process.
 *   <li>Always {@code use_per_session_threads}: the thread counts given are the ones used, whatever sessions
 *       existed before in the process.
 * </ul>
 */
public final class TrainingSessionFactory {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingSessionFactory.class);

  /** Probe results per physical GPU; the devices TensorFlow can use do not change during a process. */
  private static final Map<Integer, Boolean> GPU_USABLE = new ConcurrentHashMap<>();

  private TrainingSessionFactory() {}

  /**
   * Resolves the selection against the devices TensorFlow can use.
   *
   * @throws IllegalStateException if an explicit GPU was requested and TensorFlow cannot place an op on it
   */
  public static TrainingDevice resolve(DeviceSelection selection) {
    switch (selection.kind()) {
      case CPU:
        return TrainingDevice.cpu();
      case GPU:
        if (!gpuUsable(selection.gpuIndex())) {
          throw new IllegalStateException(
              ("device '%s' was requested but TensorFlow cannot place an op on GPU %d (no such GPU, the CPU build of "
                      + "TensorFlow, or CUDA/cuDNN missing); choose 'cpu' or 'auto'")
                  .formatted(selection, selection.gpuIndex()));
        }
        return TrainingDevice.gpu(selection.gpuIndex());
      case AUTO:
        return gpuUsable(0) ? TrainingDevice.gpu(0) : TrainingDevice.cpu();
      default:
        throw new AssertionError(selection.kind());
    }
  }

  /** Session configuration for training on {@code device} with {@code threads}. */
  public static ConfigProto sessionConfig(TrainingDevice device, SessionThreads threads) {
    ConfigProto.Builder config = baseConfig(threads);
    if (device.gpu()) {
      config.setAllowSoftPlacement(true).setGpuOptions(gpuOptions(device.physicalGpuIndex()));
    } else {
      config.setAllowSoftPlacement(true).putDeviceCount("GPU", 0);
    }
    return config.build();
  }

  private static ConfigProto.Builder baseConfig(SessionThreads threads) {
    return ConfigProto.newBuilder()
        .setUsePerSessionThreads(true)
        .setIntraOpParallelismThreads(threads.intraOpThreads())
        .setInterOpParallelismThreads(threads.interOpThreads());
  }

  private static GPUOptions gpuOptions(int physicalGpuIndex) {
    return GPUOptions.newBuilder()
        .setAllowGrowth(true)
        .setVisibleDeviceList(Integer.toString(physicalGpuIndex))
        .build();
  }

  private static boolean gpuUsable(int physicalGpuIndex) {
    return GPU_USABLE.computeIfAbsent(physicalGpuIndex, TrainingSessionFactory::probeGpu);
  }

  /** Runs an identity op pinned to the GPU with soft placement off; any TensorFlow failure means "not usable". */
  private static boolean probeGpu(int physicalGpuIndex) {
    ConfigProto probeConfig =
        baseConfig(new SessionThreads(1, 1))
            .setAllowSoftPlacement(false)
            .setGpuOptions(gpuOptions(physicalGpuIndex))
            .build();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(TrainingDevice.gpu(physicalGpuIndex).placement());
      Operand<TFloat32> probe = tf.identity(tf.constant(1.0f));
      try (Session session = new Session(graph, probeConfig);
          Result result = session.runner().fetch(probe).run()) {
        return result.size() == 1;
      }
    } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
      LOG.debug("GPU {} not usable: {}", physicalGpuIndex, firstLine(e.getMessage()));
      return false;
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
