package org.comity.agent.model;

import org.tensorflow.DeviceSpec;

/**
 * The device a model actually trains on, after {@link DeviceSelection.Kind#AUTO auto} has been resolved.
 *
 * <p>A GPU session makes only its physical GPU visible to TensorFlow ({@code visible_device_list = N}), so inside
 * the process that GPU is {@code /device:GPU:0}. That is why {@link #placement()} is always index 0: ops that
 * TensorFlow creates itself (gradients from {@code addGradients}) carry no device and the placer puts them on the
 * first visible GPU, which must be the selected one. TensorFlow requires every session of a process to agree on this
 * mapping, so one process trains on one GPU.
 *
 * @param gpu whether a GPU trains
 * @param physicalGpuIndex the selected GPU's ordinal on the host; 0 for CPU
 */
public record TrainingDevice(boolean gpu, int physicalGpuIndex) {

  public TrainingDevice {
    if (physicalGpuIndex < 0 || (!gpu && physicalGpuIndex != 0)) {
      throw new IllegalArgumentException("invalid device gpu=%s index=%d".formatted(gpu, physicalGpuIndex));
    }
  }

  public static TrainingDevice cpu() {
    return new TrainingDevice(false, 0);
  }

  public static TrainingDevice gpu(int physicalIndex) {
    return new TrainingDevice(true, physicalIndex);
  }

  /** Device set on every op the model builds: {@code /device:CPU:0} or {@code /device:GPU:0} (the visible GPU). */
  public DeviceSpec placement() {
    return DeviceSpec.newBuilder()
        .deviceType(gpu ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU)
        .deviceIndex(0)
        .build();
  }

  /** Human-readable summary for logs and status, e.g. {@code CPU (2 intra-op threads, 2 inter-op threads)}. */
  public String describe(SessionThreads threads) {
    String threadText =
        "%d intra-op threads, %d inter-op threads"
            .formatted(threads.intraOpThreads(), threads.interOpThreads());
    return gpu ? "GPU:%d (%s for CPU-side ops)".formatted(physicalGpuIndex, threadText) : "CPU (" + threadText + ")";
  }
}
