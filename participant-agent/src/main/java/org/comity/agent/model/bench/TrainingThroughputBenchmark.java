package org.comity.agent.model.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.FraudModel;
import org.comity.agent.model.ModelArchitecture;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.model.TrainingDevice;
import org.comity.agent.model.TrainingHyperparameters;
import org.comity.agent.model.TrainingSessionFactory;
import org.tensorflow.TensorFlow;

/**
 * Measures, in one run: local training throughput of the default fraud model at each batch size, this machine's
 * peak float32 matrix-product rate in TensorFlow, and the fraction of that peak the training reaches.
 *
 * <p>Not a unit test: it takes about a minute and its numbers depend on the machine and its load. Training
 * throughput is {@code rows / median(epoch seconds)} over whole {@link FraudModel#trainEpoch} calls, so it includes
 * the Java-side shuffle and batch copies a real agent pays. Peak is {@code 2 n^3 / median(seconds)} of an
 * {@code n x n} product of two variables (no feed, no fetch: only the product runs) on the same device with the same
 * session configuration; products are timed right after each timed epoch, interleaved with training, so both
 * medians come from the same stretches of background load. FLOPs per training sample follow
 * {@link TrainingFlopCount}. The report carries the 1-minute load average before and after the run; above the
 * processor count, other work competed and all numbers are pessimistic.
 *
 * <p>Run: {@code java -cp ... org.comity.agent.model.bench.TrainingThroughputBenchmark [key=value ...]} with keys
 * {@code rows}, {@code warmupEpochs}, {@code timedEpochs}, {@code batchSizes} (e.g. {@code 256,1024}),
 * {@code matmulSize}, {@code matmulRepeats}, {@code device}, {@code intraOpThreads}, {@code interOpThreads}.
 * The JSON report goes to standard output.
 */
public final class TrainingThroughputBenchmark {

  private TrainingThroughputBenchmark() {}

  public static void main(String[] args) {
    BenchmarkOptions options = parseArguments(args, BenchmarkOptions.defaults());
    System.out.println(run(options).toJson());
  }

  /** Runs the whole benchmark; see the class comment. */
  public static BenchmarkReport run(BenchmarkOptions options) {
    double loadAtStart = loadAverage();
    ModelArchitecture architecture = ModelArchitecture.defaults(options.inputWidth());
    long flopsPerSample = TrainingFlopCount.trainingFlopsPerSample(architecture);
    SyntheticRows data = SyntheticRows.generate(options.rows(), options.inputWidth(), options.seed());
    TrainingDevice device = TrainingSessionFactory.resolve(options.device());

    List<Measured> measured = new ArrayList<>();
    List<Double> productSeconds = new ArrayList<>();
    String deviceDescription = null;
    try (MatMulPeakMeter peakMeter = new MatMulPeakMeter(options.matmulSize(), device, options.threads())) {
      for (int i = 0; i < options.matmulWarmups(); i++) {
        peakMeter.timeOneProduct();
      }
      for (int batchSize : options.batchSizes()) {
        try (FraudModel model =
            FraudModel.create(architecture, TrainingHyperparameters.of(1e-3, batchSize), options.device(),
                options.threads(), options.seed())) {
          deviceDescription = model.deviceDescription();
          measured.add(new Measured(batchSize, timeEpochs(model, data, options, peakMeter, productSeconds)));
        }
      }
    }

    long flopsPerProduct = 2L * options.matmulSize() * options.matmulSize() * options.matmulSize();
    BenchmarkReport.MatMulPeak peak = new BenchmarkReport.MatMulPeak(
        options.matmulSize(), flopsPerProduct, productSeconds, flopsPerProduct / median(productSeconds) / 1e9);
    List<BenchmarkReport.TrainingThroughput> training = new ArrayList<>();
    for (Measured m : measured) {
      double samplesPerSecond = options.rows() / median(m.epochSeconds());
      double gflops = samplesPerSecond * flopsPerSample / 1e9;
      training.add(new BenchmarkReport.TrainingThroughput(
          m.batchSize(), m.epochSeconds(), samplesPerSecond, gflops, gflops / peak.medianGflops()));
    }
    String architectureText =
        "%d-%s-1 %s dropout %s".formatted(
            architecture.inputWidth(),
            architecture.hiddenUnits().stream().map(String::valueOf).collect(Collectors.joining("-")),
            architecture.activation().configName(),
            architecture.dropoutRate());
    return new BenchmarkReport(
        environment(loadAtStart, loadAverage()), deviceDescription, architectureText,
        architecture.parameterCount(), options.rows(), flopsPerSample, training, peak);
  }

  private record Measured(int batchSize, List<Double> epochSeconds) {}

  /**
   * Warm-up epochs, then timed epochs; after each timed epoch, {@code matmulRepeats} timed products, so that peak
   * and training are sampled under the same background load.
   */
  private static List<Double> timeEpochs(
      FraudModel model,
      SyntheticRows data,
      BenchmarkOptions options,
      MatMulPeakMeter peakMeter,
      List<Double> productSeconds) {
    long shuffleSeed = options.seed();
    for (int epoch = 0; epoch < options.warmupEpochs(); epoch++) {
      model.trainEpoch(data.features(), data.labels(), data.rows(), 10f, shuffleSeed++);
    }
    List<Double> seconds = new ArrayList<>();
    for (int epoch = 0; epoch < options.timedEpochs(); epoch++) {
      long start = System.nanoTime();
      model.trainEpoch(data.features(), data.labels(), data.rows(), 10f, shuffleSeed++);
      seconds.add((System.nanoTime() - start) / 1e9);
      for (int i = 0; i < options.matmulRepeats(); i++) {
        productSeconds.add(peakMeter.timeOneProduct());
      }
    }
    return seconds;
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
  }

  private static BenchmarkReport.Environment environment(double loadAtStart, double loadAtEnd) {
    return new BenchmarkReport.Environment(
        System.getProperty("java.version"),
        TensorFlow.version(),
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        loadAtStart,
        loadAtEnd);
  }

  /** 1-minute load average, or NaN where {@code /proc/loadavg} is unavailable. */
  private static double loadAverage() {
    try {
      String text = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim();
      return Double.parseDouble(text.substring(0, text.indexOf(' ')));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | SecurityException e) {
      return "unknown (" + e.getClass().getSimpleName() + ")";
    }
    return "unknown";
  }

  /** Applies {@code key=value} overrides to {@code defaults}; unknown keys are errors naming the key. */
  static BenchmarkOptions parseArguments(String[] args, BenchmarkOptions defaults) {
    int rows = defaults.rows();
    int warmupEpochs = defaults.warmupEpochs();
    int timedEpochs = defaults.timedEpochs();
    List<Integer> batchSizes = defaults.batchSizes();
    int matmulSize = defaults.matmulSize();
    int matmulRepeats = defaults.matmulRepeats();
    DeviceSelection device = defaults.device();
    int intra = defaults.threads().intraOpThreads();
    int inter = defaults.threads().interOpThreads();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
      }
      String key = arg.substring(0, equals);
      String value = arg.substring(equals + 1);
      switch (key) {
        case "rows":
          rows = Integer.parseInt(value);
          break;
        case "warmupEpochs":
          warmupEpochs = Integer.parseInt(value);
          break;
        case "timedEpochs":
          timedEpochs = Integer.parseInt(value);
          break;
        case "batchSizes":
          batchSizes = Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
          break;
        case "matmulSize":
          matmulSize = Integer.parseInt(value);
          break;
        case "matmulRepeats":
          matmulRepeats = Integer.parseInt(value);
          break;
        case "device":
          device = DeviceSelection.parse(value);
          break;
        case "intraOpThreads":
          intra = Integer.parseInt(value);
          break;
        case "interOpThreads":
          inter = Integer.parseInt(value);
          break;
        default:
          throw new IllegalArgumentException(
              "unknown option '%s'; allowed: rows, warmupEpochs, timedEpochs, batchSizes, matmulSize, "
                  .formatted(key) + "matmulRepeats, device, intraOpThreads, interOpThreads");
      }
    }
    return new BenchmarkOptions(defaults.inputWidth(), rows, batchSizes, warmupEpochs, timedEpochs, matmulSize,
        defaults.matmulWarmups(), matmulRepeats, device, new SessionThreads(intra, inter), defaults.seed());
  }

  /** Normalised-looking synthetic rows with about 2% positives; only their shape matters for throughput. */
  record SyntheticRows(float[] features, float[] labels, int rows) {

    static SyntheticRows generate(int rows, int width, long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      float[] features = new float[rows * width];
      float[] labels = new float[rows];
      for (int r = 0; r < rows; r++) {
        double score = 0;
        for (int c = 0; c < width; c++) {
          float value = (float) random.nextGaussian();
          features[r * width + c] = value;
          score += (c % 3 == 0 ? value : 0) + (c == 1 ? value * features[r * width] : 0);
        }
        labels[r] = score > 2.5 ? 1f : 0f;
      }
      return new SyntheticRows(features, labels, rows);
    }
  }
}
