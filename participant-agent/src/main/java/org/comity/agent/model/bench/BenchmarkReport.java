package org.comity.agent.model.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/**
 * Result of one {@link TrainingThroughputBenchmark} run; {@link #toString()} is the JSON form.
 *
 * @param environment where it ran
 * @param device the training device as the model describes it
 * @param architecture e.g. {@code 30-128-64-32-1 relu dropout 0.3}
 * @param parameterCount model parameters
 * @param rows synthetic rows per epoch
 * @param trainingFlopsPerSample see {@link TrainingFlopCount}
 * @param training one entry per batch size
 * @param peak the matrix-product measurement
 */
public record BenchmarkReport(
    Environment environment,
    String device,
    String architecture,
    int parameterCount,
    int rows,
    long trainingFlopsPerSample,
    List<TrainingThroughput> training,
    MatMulPeak peak) {

  public BenchmarkReport {
    training = List.copyOf(training);
  }

  /**
   * @param javaVersion {@code java.version}
   * @param tensorflowVersion native TensorFlow version
   * @param availableProcessors processors the JVM sees
   * @param cpuModel {@code model name} from {@code /proc/cpuinfo}, or {@code unknown}
   * @param loadAverageAtStart 1-minute load average from {@code /proc/loadavg} before the run (NaN if unknown);
   *     a value above {@code availableProcessors} means other work competed and the numbers are pessimistic
   * @param loadAverageAtEnd the same after the run
   */
  public record Environment(
      String javaVersion,
      String tensorflowVersion,
      int availableProcessors,
      String cpuModel,
      double loadAverageAtStart,
      double loadAverageAtEnd) {}

  /**
   * @param batchSize rows per step
   * @param epochSeconds every timed epoch, in order
   * @param medianSamplesPerSecond {@code rows / median(epochSeconds)}
   * @param achievedGflops {@code medianSamplesPerSecond * trainingFlopsPerSample / 1e9}
   * @param fractionOfPeak {@code achievedGflops / peak gflops}
   */
  public record TrainingThroughput(
      int batchSize,
      List<Double> epochSeconds,
      double medianSamplesPerSecond,
      double achievedGflops,
      double fractionOfPeak) {

    public TrainingThroughput {
      epochSeconds = List.copyOf(epochSeconds);
    }
  }

  /**
   * @param matrixSize {@code n} of the {@code n x n} float32 product
   * @param flopsPerProduct {@code 2 n^3}
   * @param productSeconds every timed product, in order
   * @param medianGflops {@code flopsPerProduct / median(productSeconds) / 1e9}
   */
  public record MatMulPeak(int matrixSize, long flopsPerProduct, List<Double> productSeconds, double medianGflops) {

    public MatMulPeak {
      productSeconds = List.copyOf(productSeconds);
    }
  }

  /** The report as an indented JSON object. */
  public String toJson() {
    StringBuilder json = new StringBuilder();
    json.append("{\n");
    json.append("  \"environment\": {")
        .append(field("javaVersion", environment.javaVersion())).append(", ")
        .append(field("tensorflowVersion", environment.tensorflowVersion())).append(", ")
        .append(quote("availableProcessors")).append(": ").append(environment.availableProcessors()).append(", ")
        .append(field("cpuModel", environment.cpuModel())).append(", ")
        .append(quote("loadAverageAtStart")).append(": ").append(number(environment.loadAverageAtStart())).append(", ")
        .append(quote("loadAverageAtEnd")).append(": ").append(number(environment.loadAverageAtEnd())).append("},\n");
    json.append("  ").append(field("device", device)).append(",\n");
    json.append("  ").append(field("architecture", architecture)).append(",\n");
    json.append("  \"parameterCount\": ").append(parameterCount).append(",\n");
    json.append("  \"rows\": ").append(rows).append(",\n");
    json.append("  \"trainingFlopsPerSample\": ").append(trainingFlopsPerSample).append(",\n");
    json.append("  \"training\": [\n");
    for (int i = 0; i < training.size(); i++) {
      TrainingThroughput t = training.get(i);
      json.append("    {\"batchSize\": ").append(t.batchSize())
          .append(", \"epochSeconds\": ").append(numbers(t.epochSeconds()))
          .append(", \"medianSamplesPerSecond\": ").append(number(t.medianSamplesPerSecond()))
          .append(", \"achievedGflops\": ").append(number(t.achievedGflops()))
          .append(", \"fractionOfPeak\": ").append(number(t.fractionOfPeak()))
          .append(i + 1 < training.size() ? "},\n" : "}\n");
    }
    json.append("  ],\n");
    json.append("  \"peak\": {\"matrixSize\": ").append(peak.matrixSize())
        .append(", \"flopsPerProduct\": ").append(peak.flopsPerProduct())
        .append(", \"productSeconds\": ").append(numbers(peak.productSeconds()))
        .append(", \"medianGflops\": ").append(number(peak.medianGflops())).append("}\n");
    json.append("}");
    return json.toString();
  }

  @Override
  public String toString() {
    return toJson();
  }

  private static String field(String name, String value) {
    return quote(name) + ": " + quote(value);
  }

  private static String numbers(List<Double> values) {
    StringBuilder out = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(number(values.get(i)));
    }
    return out.append(']').toString();
  }

  private static String number(double value) {
    if (!Double.isFinite(value)) {
      return "null";
    }
    return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }
}
