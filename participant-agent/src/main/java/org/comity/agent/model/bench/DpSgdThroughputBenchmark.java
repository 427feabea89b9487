package org.comity.agent.model.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.DpSgdSettings;
import org.comity.agent.model.FraudModel;
import org.comity.agent.model.ModelArchitecture;
import org.comity.agent.model.NoiseSeeds;
import org.comity.agent.model.PrivateEpochResult;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.model.TrainingHyperparameters;

/**
 * DP-SGD training throughput as a ratio to plain training of the same model on the same data, in one run.
 *
 * <p>Two models of the default architecture with the same initial weights train on the same synthetic rows: one with
 * {@link FraudModel#trainEpoch} at batch size {@code B}, one with {@link FraudModel#trainEpochPrivately} at expected
 * batch size {@code B} (same steps per epoch in expectation), with production randomness
 * ({@link NoiseSeeds#secure()}), so the Java-side Poisson sampling, batch copies and seed draws are included. Timed
 * epochs alternate between the two (plain first on even epochs, private first on odd ones) so both see the same
 * background load. Throughput is rows processed per second of a whole epoch call, the median over timed epochs; for
 * DP-SGD the rows processed are the rows actually sampled. {@code ratio = dpSgd / plain}; {@code pairedRatio} is the
 * median over timed epochs of the ratio within each back-to-back pair, which is less sensitive to load that changes
 * during the run.
 *
 * <p>Not a unit test (numbers depend on the machine and its load). Run:
 * {@code java -cp ... org.comity.agent.model.bench.DpSgdThroughputBenchmark [key=value ...]} with keys {@code rows},
 * {@code batchSize}, {@code warmupEpochs}, {@code timedEpochs}, {@code clipNorm}, {@code noiseMultiplier},
 * {@code intraOpThreads}, {@code interOpThreads}. One JSON object goes to standard output.
 */
public final class DpSgdThroughputBenchmark {

  private DpSgdThroughputBenchmark() {}

  /**
   * @param inputWidth features per row; the model is {@code inputWidth -> 128 -> 64 -> 32 -> 1}, dropout 0.3
   * @param rows synthetic rows
   * @param batchSize plain batch size and DP-SGD expected batch size
   * @param warmupEpochs untimed epochs of each kind first
   * @param timedEpochs timed epochs of each kind
   * @param clipNorm DP-SGD clip norm
   * @param noiseMultiplier DP-SGD noise multiplier
   * @param threads session threads of both models
   * @param seed data and model seed
   */
  public record Options(
      int inputWidth,
      int rows,
      int batchSize,
      int warmupEpochs,
      int timedEpochs,
      double clipNorm,
      double noiseMultiplier,
      SessionThreads threads,
      long seed) {

    public Options {
      if (inputWidth < 1 || rows < 1 || batchSize < 1 || batchSize > rows) {
        throw new IllegalArgumentException("need inputWidth, rows >= 1 and 1 <= batchSize <= rows, got %d, %d, %d"
            .formatted(inputWidth, rows, batchSize));
      }
      if (warmupEpochs < 0 || timedEpochs < 1) {
        throw new IllegalArgumentException(
            "need warmupEpochs >= 0 and timedEpochs >= 1, got %d, %d".formatted(warmupEpochs, timedEpochs));
      }
      new DpSgdSettings(clipNorm, noiseMultiplier, batchSize); // validates with the usual messages
      if (threads == null) {
        throw new IllegalArgumentException("threads must not be null");
      }
    }

    /** 30 inputs, 100,000 rows, batch 256, 3 warm-up and 7 timed epochs of each kind, C 1, sigma 1.1. */
    public static Options defaults() {
      return new Options(30, 100_000, 256, 3, 7, 1.0, 1.1, SessionThreads.forThisMachine(), 20_261_127L);
    }
  }

  /**
   * @param plainEpochSeconds every timed plain epoch
   * @param dpSgdEpochSeconds every timed DP-SGD epoch
   * @param plainSamplesPerSecond {@code rows / median(plainEpochSeconds)}
   * @param dpSgdSamplesPerSecond median over timed DP-SGD epochs of {@code rowsSampled / seconds}
   * @param ratio {@code dpSgdSamplesPerSecond / plainSamplesPerSecond}
   * @param pairedRatio median over timed epochs {@code e} of {@code dpSgdRate(e) / plainRate(e)}
   */
  public record Report(
      String device,
      String architecture,
      Options options,
      double loadAverageAtStart,
      double loadAverageAtEnd,
      List<Double> plainEpochSeconds,
      List<Double> dpSgdEpochSeconds,
      double plainSamplesPerSecond,
      double dpSgdSamplesPerSecond,
      double ratio,
      double pairedRatio) {

    public Report {
      plainEpochSeconds = List.copyOf(plainEpochSeconds);
      dpSgdEpochSeconds = List.copyOf(dpSgdEpochSeconds);
    }

    public String toJson() {
      return ("{\"device\": \"%s\", \"architecture\": \"%s\", \"javaVersion\": \"%s\", \"rows\": %d, "
          + "\"batchSize\": %d, \"clipNorm\": %s, \"noiseMultiplier\": %s, \"loadAverageAtStart\": %s, "
          + "\"loadAverageAtEnd\": %s, \"plainEpochSeconds\": %s, \"dpSgdEpochSeconds\": %s, "
          + "\"plainSamplesPerSecond\": %s, \"dpSgdSamplesPerSecond\": %s, \"ratio\": %s, \"pairedRatio\": %s}")
          .formatted(device, architecture, System.getProperty("java.version"), options.rows(), options.batchSize(),
              number(options.clipNorm()), number(options.noiseMultiplier()), number(loadAverageAtStart),
              number(loadAverageAtEnd), numbers(plainEpochSeconds), numbers(dpSgdEpochSeconds),
              number(plainSamplesPerSecond), number(dpSgdSamplesPerSecond), number(ratio),
              number(pairedRatio));
    }

    @Override
    public String toString() {
      return toJson();
    }
  }

  public static void main(String[] args) {
    System.out.println(run(parseArguments(args, Options.defaults())).toJson());
  }

  /** Runs the comparison; see the class comment. */
  public static Report run(Options options) {
    double loadAtStart = loadAverage();
    ModelArchitecture architecture = ModelArchitecture.defaults(options.inputWidth());
    TrainingThroughputBenchmark.SyntheticRows data =
        TrainingThroughputBenchmark.SyntheticRows.generate(options.rows(), options.inputWidth(), options.seed());
    DpSgdSettings settings = new DpSgdSettings(options.clipNorm(), options.noiseMultiplier(), options.batchSize());
    NoiseSeeds noise = NoiseSeeds.secure();
    TrainingHyperparameters hyperparameters = TrainingHyperparameters.of(1e-3, options.batchSize());
    List<Double> plainSeconds = new ArrayList<>();
    List<Double> dpSeconds = new ArrayList<>();
    List<Double> dpRates = new ArrayList<>();
    String device;
    try (FraudModel plain = FraudModel.create(architecture, hyperparameters, DeviceSelection.cpu(), options.threads(),
            options.seed());
        FraudModel dpSgd = FraudModel.create(architecture, hyperparameters, DeviceSelection.cpu(), options.threads(),
            options.seed())) {
      device = plain.deviceDescription();
      long epochSeed = options.seed();
      for (int epoch = 0; epoch < options.warmupEpochs(); epoch++) {
        plain.trainEpoch(data.features(), data.labels(), data.rows(), 10f, epochSeed);
        dpSgd.trainEpochPrivately(data.features(), data.labels(), data.rows(), 10f, settings, noise);
        epochSeed++;
      }
      for (int epoch = 0; epoch < options.timedEpochs(); epoch++) {
        boolean plainFirst = epoch % 2 == 0;
        for (int turn = 0; turn < 2; turn++) {
          long start = System.nanoTime();
          if ((turn == 0) == plainFirst) {
            plain.trainEpoch(data.features(), data.labels(), data.rows(), 10f, epochSeed);
            plainSeconds.add((System.nanoTime() - start) / 1e9);
          } else {
            PrivateEpochResult result =
                dpSgd.trainEpochPrivately(data.features(), data.labels(), data.rows(), 10f, settings, noise);
            double seconds = (System.nanoTime() - start) / 1e9;
            dpSeconds.add(seconds);
            dpRates.add(result.rowsSampled() / seconds);
          }
        }
        epochSeed++;
      }
    }
    double plainRate = options.rows() / TrainingThroughputBenchmark.median(plainSeconds);
    double dpRate = TrainingThroughputBenchmark.median(dpRates);
    List<Double> pairRatios = new ArrayList<>();
    for (int epoch = 0; epoch < dpRates.size(); epoch++) {
      pairRatios.add(dpRates.get(epoch) / (options.rows() / plainSeconds.get(epoch)));
    }
    String architectureText = "%d-%s-1 %s dropout %s".formatted(architecture.inputWidth(),
        architecture.hiddenUnits().stream().map(String::valueOf).collect(Collectors.joining("-")),
        architecture.activation().configName(), architecture.dropoutRate());
    return new Report(device, architectureText, options, loadAtStart, loadAverage(), plainSeconds, dpSeconds,
        plainRate, dpRate, dpRate / plainRate, TrainingThroughputBenchmark.median(pairRatios));
  }

  /** Applies {@code key=value} overrides to {@code defaults}; unknown keys are errors naming the key. */
  static Options parseArguments(String[] args, Options defaults) {
    int rows = defaults.rows();
    int batchSize = defaults.batchSize();
    int warmupEpochs = defaults.warmupEpochs();
    int timedEpochs = defaults.timedEpochs();
    double clipNorm = defaults.clipNorm();
    double noiseMultiplier = defaults.noiseMultiplier();
    int intra = defaults.threads().intraOpThreads();
    int inter = defaults.threads().interOpThreads();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
      }
      String key = arg.substring(0, equals);
      String value = arg.substring(equals + 1).trim();
      switch (key) {
        case "rows" -> rows = Integer.parseInt(value);
        case "batchSize" -> batchSize = Integer.parseInt(value);
        case "warmupEpochs" -> warmupEpochs = Integer.parseInt(value);
        case "timedEpochs" -> timedEpochs = Integer.parseInt(value);
        case "clipNorm" -> clipNorm = Double.parseDouble(value);
        case "noiseMultiplier" -> noiseMultiplier = Double.parseDouble(value);
        case "intraOpThreads" -> intra = Integer.parseInt(value);
        case "interOpThreads" -> inter = Integer.parseInt(value);
        default -> throw new IllegalArgumentException(("unknown option '%s'; allowed: rows, batchSize, warmupEpochs, "
            + "timedEpochs, clipNorm, noiseMultiplier, intraOpThreads, interOpThreads").formatted(key));
      }
    }
    return new Options(defaults.inputWidth(), rows, batchSize, warmupEpochs, timedEpochs, clipNorm, noiseMultiplier,
        new SessionThreads(intra, inter), defaults.seed());
  }

  private static double loadAverage() {
    try {
      String text = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
      return Double.parseDouble(text.substring(0, text.indexOf(' ')));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static String numbers(List<Double> values) {
    return values.stream().map(DpSgdThroughputBenchmark::number).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String number(double value) {
    if (!Double.isFinite(value)) {
      return "null";
    }
    return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
