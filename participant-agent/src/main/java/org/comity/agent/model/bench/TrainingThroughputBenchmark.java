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
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Measures, in one run: local training throughput of the default fraud model at each batch size, this machine's
 * peak float32 matrix-product rate in TensorFlow, and the fraction of that peak the training reaches.
 *
 * <p>Not a unit test: it takes about a minute and its numbers depend on the machine and its load. Training
 * throughput is {@code rows / median(epoch seconds)} over whole {@link FraudModel#trainEpoch} calls, so it includes
 * the Java-side shuffle and batch copies a real agent pays. Peak is {@code 2 n^3 / median(seconds)} of an
 * {@code n x n} product of two variables (no feed, no fetch: only the product runs) with the same session threads.
 * FLOPs per training sample follow {@link TrainingFlopCount}. The report carries the 1-minute load average before
 * and after: on a shared machine, peak and training are measured at different moments, so under changing load the
 * fraction of peak is only indicative.
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

    List<Measured> measured = new ArrayList<>();
    String device = null;
    for (int batchSize : options.batchSizes()) {
      try (FraudModel model =
          FraudModel.create(architecture, TrainingHyperparameters.of(1e-3, batchSize), options.device(),
              options.threads(), options.seed())) {
        device = model.deviceDescription();
        measured.add(new Measured(batchSize, timeEpochs(model, data, options)));
      }
    }

    BenchmarkReport.MatMulPeak peak = measureMatMulPeak(options);
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
        environment(loadAtStart, loadAverage()), device, architectureText, architecture.parameterCount(), options.rows(), flopsPerSample,
        training, peak);
  }

  private record Measured(int batchSize, List<Double> epochSeconds) {}

  private static List<Double> timeEpochs(FraudModel model, SyntheticRows data, BenchmarkOptions options) {
    long shuffleSeed = options.seed();
    for (int epoch = 0; epoch < options.warmupEpochs(); epoch++) {
      model.trainEpoch(data.features(), data.labels(), data.rows(), 10f, shuffleSeed++);
    }
    List<Double> seconds = new ArrayList<>();
    for (int epoch = 0; epoch < options.timedEpochs(); epoch++) {
      long start = System.nanoTime();
      model.trainEpoch(data.features(), data.labels(), data.rows(), 10f, shuffleSeed++);
      seconds.add((System.nanoTime() - start) / 1e9);
    }
    return seconds;
  }

  /**
   * Times {@code a x b} for two {@code n x n} variables of uniform values, on the device the model trains on and
   * with the same session configuration.
   */
  static BenchmarkReport.MatMulPeak measureMatMulPeak(BenchmarkOptions options) {
    int n = options.matmulSize();
    long flops = 2L * n * n * n;
    List<Double> seconds = new ArrayList<>();
    TrainingDevice device = TrainingSessionFactory.resolve(options.device());
    ConfigProto config = TrainingSessionFactory.sessionConfig(device, options.threads());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(device.placement());
      Variable<TFloat32> a =
          tf.withName("peak_a").variable(tf.random.statelessRandomUniform(tf.array(n, n), tf.array(1L, 2L)));
      Variable<TFloat32> b =
          tf.withName("peak_b").variable(tf.random.statelessRandomUniform(tf.array(n, n), tf.array(3L, 4L)));
      Op product = tf.withName("peak_product").linalg.matMul(a, b);
      try (Session session = new Session(graph, config)) {
        session.initialize();
        for (int i = 0; i < options.matmulWarmups() + options.matmulRepeats(); i++) {
          long start = System.nanoTime();
          try (Result ignored = session.runner().addTarget(product).run()) {
            // only the product runs; nothing is fetched
          }
          if (i >= options.matmulWarmups()) {
            seconds.add((System.nanoTime() - start) / 1e9);
          }
        }
      }
    }
    return new BenchmarkReport.MatMulPeak(n, flops, seconds, flops / median(seconds) / 1e9);
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
