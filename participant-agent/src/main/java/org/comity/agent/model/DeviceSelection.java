package org.comity.agent.model;

import java.util.Locale;

/**
 * Which device trains the model, as configured by the bank's operator.
 *
 * <p>Accepted strings (case-insensitive): {@code cpu}; {@code gpu} (= {@code gpu:0}); {@code gpu:N} with
 * {@code N >= 0}; {@code auto} (GPU 0 if TensorFlow can place an op there, else CPU). An explicit GPU that TensorFlow
 * cannot see is an error at model creation, never a silent fall-back to CPU: an operator who asked for a GPU must
 * learn that it is not used. See {@link TrainingSessionFactory} for how the choice reaches TensorFlow.
 *
 * @param kind CPU, GPU or AUTO
 * @param gpuIndex the GPU ordinal for {@link Kind#GPU}; 0 for the other kinds
 */
public record DeviceSelection(Kind kind, int gpuIndex) {

  /** Kind of device requested. */
  public enum Kind {
    CPU,
    GPU,
    AUTO
  }

  public DeviceSelection {
    if (kind == null) {
      throw new IllegalArgumentException("device kind must not be null");
    }
    if (gpuIndex < 0) {
      throw new IllegalArgumentException("GPU index must be >= 0, got " + gpuIndex);
    }
    if (kind != Kind.GPU && gpuIndex != 0) {
      throw new IllegalArgumentException("a GPU index is only meaningful for kind GPU, got " + kind + ":" + gpuIndex);
    }
  }

  public static DeviceSelection cpu() {
    return new DeviceSelection(Kind.CPU, 0);
  }

  public static DeviceSelection gpu(int index) {
    return new DeviceSelection(Kind.GPU, index);
  }

  public static DeviceSelection auto() {
    return new DeviceSelection(Kind.AUTO, 0);
  }

  /**
   * Parses {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}.
   *
   * @throws IllegalArgumentException quoting the value and listing the accepted forms
   */
  public static DeviceSelection parse(String text) {
    if (text == null) {
      throw invalid(null, "no value");
    }
    String value = text.trim().toLowerCase(Locale.ROOT);
    switch (value) {
      case "cpu":
        return cpu();
      case "gpu":
        return gpu(0);
      case "auto":
        return auto();
      default:
        break;
    }
    if (value.startsWith("gpu:")) {
      String index = value.substring("gpu:".length());
      if (index.isEmpty() || index.length() > 4 || !index.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw invalid(text, "the GPU index must be a non-negative integer");
      }
      return gpu(Integer.parseInt(index));
    }
    throw invalid(text, "unknown device");
  }

  private static IllegalArgumentException invalid(String text, String reason) {
    return new IllegalArgumentException(
        "invalid device '%s': %s; allowed: cpu, gpu, gpu:N (N >= 0), auto".formatted(text, reason));
  }

  /** The canonical string form, accepted by {@link #parse(String)}: {@code cpu}, {@code gpu:N} or {@code auto}. */
  @Override
  public String toString() {
    switch (kind) {
      case CPU:
        return "cpu";
      case GPU:
        return "gpu:" + gpuIndex;
      default:
        return "auto";
    }
  }
}
