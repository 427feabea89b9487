package org.comity.simulation.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.model.bench.BenchmarkOptions;
import org.comity.agent.model.bench.BenchmarkReport;
import org.comity.agent.model.bench.TrainingThroughputBenchmark;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.simulation.data.SyntheticConsortiumConfig;
import org.comity.simulation.run.ConsortiumPreparer;
import org.comity.simulation.run.FederatedRegime;
import org.comity.simulation.run.PreparedConsortium;
import org.comity.simulation.run.SimulationConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench coordinator} and {@code bench training}: the measurements behind {@code docs/BENCHMARKS.md}.
 *
 * <p>Neither asserts anything about speed; they measure and report. Numbers from a shared machine are noisy, so the
 * reports lead with ratios and fractions measured in one run, with absolute times as context.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: coordinator overhead and heap against the number of banks; local training throughput.",
    subcommands = {BenchCommand.Coordinator.class, BenchCommand.Training.class, SecureRoundBenchCommand.class,
        ConnectBenchCommand.class, RecoveryBenchCommand.Journal.class, RecoveryBenchCommand.Recovery.class})
final class BenchCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Smallest retained heap of the fewest-banks run for which the 50-vs-5 style heap ratio is reported. */
  static final long HEAP_RATIO_FLOOR_BYTES = 256 * 1024;

  private BenchCommand() {}

  /**
   * One federated run per bank count through {@link FederatedRegime}: the real {@link CoordinatorServer} and one real
   * agent per bank over loopback gRPC, TensorFlow training on one CPU thread per bank.
   *
   * <p><b>Overhead.</b> Per round, {@code wallTime - slowestTrainingMillis} from the coordinator's {@link RoundReport}:
   * everything in a round that is not the slowest bank's local training. It is measured end to end, so besides the
   * coordinator's own work (selection, task dispatch, update validation and the FedAvg sum, commit) it contains
   * task delivery over gRPC, the banks' holdout evaluation of the candidate, and, because every bank shares this
   * machine's cores, the time banks wait for a core. The median is over rounds 2..N (round 1 warms up JIT and
   * TensorFlow).
   *
   * <p><b>Heap.</b> The coordinator shares the JVM with the agents, so its heap cannot be read off a gauge. After each
   * run the agents are closed and the coordinator is still open; once no agent thread is alive and two readings agree,
   * used heap after full GCs is read, the coordinator is closed and dropped, and used heap after full GCs is read
   * again. The difference is what the coordinator retains at
   * the end of a run: the model registry (one weight vector per committed round), round reports, member sessions and
   * the gRPC server. Its per-round working state (the {@code WeightedUpdateAccumulator}, 16 bytes per parameter, plus
   * the global and candidate weights) exists only during a round and is O(model size) by construction; the report
   * states it analytically.
   */
  @Command(name = "coordinator", mixinStandardHelpOptions = true,
      description = {"Coordinator overhead per round and the heap the coordinator retains, for each bank count.",
          "Runs the real coordinator and agents over loopback. Overhead = round wall time minus the slowest bank's "
              + "training time. Prints a table and writes bench-coordinator.json into --out."})
  static final class Coordinator implements Callable<Integer> {
    @Option(names = "--banks", defaultValue = "5,20,50", split = ",", paramLabel = "N,N,...", hideParamSyntax = true,
        description = "Bank counts, each from 2 to 50, run one after another in this JVM (default: ${DEFAULT-VALUE}).")
    List<Integer> banks;

    @Option(names = "--rounds", defaultValue = "11", paramLabel = "N",
        description = "Training rounds per bank count, >= 2; round 1 is warm-up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--rows-per-bank", defaultValue = "1000", paramLabel = "R",
        description = "Mean training rows per bank, >= 1000 (the synthetic generator's minimum); the total N x R "
            + "is split with the generator's size skew (default: ${DEFAULT-VALUE}).")
    int rowsPerBank;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "comity-bench-out", paramLabel = "DIR",
        description = "Output directory: bank files, bench.log, bench-coordinator.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
      validate();
      Files.createDirectories(out);
      System.setProperty("comity.simulation.log", out.resolve("bench.log").toString());
      List<BankCountResult> results = new ArrayList<>();
      for (int bankCount : banks) {
        System.err.printf("bench coordinator: %d banks, %d rounds, %d rows per bank...%n", bankCount, rounds,
            rowsPerBank);
        results.add(measure(bankCount));
      }
      ObjectNode json = toJson(results);
      Path file = out.resolve("bench-coordinator.json");
      JSON.writeValue(file.toFile(), json);
      System.out.print(table(results, json));
      System.out.println("results: " + file.toAbsolutePath());
      return ExitCodes.OK;
    }

    private void validate() throws ExitCodes.BadInputException {
      if (banks == null || banks.isEmpty()) {
        throw new ExitCodes.BadInputException("--banks needs at least one bank count");
      }
      for (Integer count : banks) {
        if (count == null || count < SyntheticConsortiumConfig.MIN_BANKS || count > SyntheticConsortiumConfig.MAX_BANKS) {
          throw new ExitCodes.BadInputException("--banks: each count must be %d to %d, got %s"
              .formatted(SyntheticConsortiumConfig.MIN_BANKS, SyntheticConsortiumConfig.MAX_BANKS, count));
        }
      }
      if (banks.stream().distinct().count() != banks.size()) {
        throw new ExitCodes.BadInputException("--banks lists a count twice: " + banks);
      }
      if (rounds < 2 || rounds > 1_000) {
        throw new ExitCodes.BadInputException(
            "--rounds must be 2 to 1000 (round 1 is warm-up and not measured), got " + rounds);
      }
      if (rowsPerBank < SyntheticConsortiumConfig.MIN_TRAINING_ROWS_PER_BANK
          || (long) rowsPerBank * SyntheticConsortiumConfig.MAX_BANKS > SyntheticConsortiumConfig.MAX_ROWS) {
        throw new ExitCodes.BadInputException("--rows-per-bank must be %d to %d, got %d".formatted(
            SyntheticConsortiumConfig.MIN_TRAINING_ROWS_PER_BANK,
            SyntheticConsortiumConfig.MAX_ROWS / SyntheticConsortiumConfig.MAX_BANKS, rowsPerBank));
      }
    }

    private BankCountResult measure(int bankCount) throws Exception {
      Path dir = out.resolve("banks-%d".formatted(bankCount));
      SimulationConfig config = new SimulationConfig(null, bankCount, rounds, seed, null, null, "label", "iid", dir, 1);
      PreparedConsortium consortium = ConsortiumPreparer.prepareSynthetic(
          config, rowsPerBank * bankCount, SyntheticConsortiumConfig.MIN_TEST_ROWS);
      int parameterCount = consortium.plan().modelLayout().parameterCount();

      FederatedRegime regime = new FederatedRegime(
          TensorFlowLocalModel.factory(DeviceSelection.cpu(), new SessionThreads(1, 1)), report -> { },
          FederatedRegime.SIMULATION_OPTIONS);
      long start = System.nanoTime();
      CoordinatorServer coordinator = regime.run(consortium, Duration.ofHours(2)).coordinator();
      double runSeconds = (System.nanoTime() - start) / 1e9;
      regime = null; // drop the agents' runners (and their data) before reading the heap
      List<RoundMeasurement> measured;
      long heapWithCoordinator;
      try {
        measured = roundMeasurements(coordinator.engine().reports());
        heapWithCoordinator = settledHeapAfterAgentsStop();
      } finally {
        coordinator.close();
      }
      coordinator = null;
      long heapWithout = usedHeapAfterGc();
      return new BankCountResult(bankCount, parameterCount, runSeconds, measured, heapWithCoordinator - heapWithout);
    }

    private static List<RoundMeasurement> roundMeasurements(List<RoundReport> reports) {
      List<RoundMeasurement> measured = new ArrayList<>();
      for (RoundReport report : reports) {
        if (report.round() < 1) {
          continue; // the statistics round trains nothing
        }
        long wall = report.wallTime().toMillis();
        long training = report.slowestTrainingMillis();
        measured.add(new RoundMeasurement(report.round(), report.outcome() == RoundPhase.COMMITTED,
            report.contributors().size(), wall, training));
      }
      return measured;
    }

    private ObjectNode toJson(List<BankCountResult> results) {
      ObjectNode root = JSON.createObjectNode();
      root.put("benchmark", "coordinator");
      root.put("command", "comity-simulation bench coordinator --banks %s --rounds %d --rows-per-bank %d --seed %d"
          .formatted(String.join(",", banks.stream().map(String::valueOf).toList()), rounds, rowsPerBank, seed));
      environment(root.putObject("environment"));
      root.put("overhead_definition", "round wall time minus the slowest bank's local training time, per round; "
          + "median over rounds 2.." + rounds + " (round 1 is warm-up)");
      root.put("heap_definition", "used heap after full GC with the coordinator open at the end of the run (agents "
          + "closed) minus used heap after full GC once it is closed");
      ArrayNode array = root.putArray("results");
      for (BankCountResult result : results) {
        ObjectNode node = array.addObject();
        node.put("banks", result.banks());
        node.put("parameter_count", result.parameterCount());
        node.put("run_seconds", result.runSeconds());
        node.put("rounds_measured", result.measuredRounds().size());
        node.put("failed_rounds", result.rounds().stream().filter(r -> !r.committed()).count());
        node.put("median_round_wall_ms", result.medianWallMillis());
        node.put("median_slowest_training_ms", result.medianTrainingMillis());
        node.put("median_overhead_ms", result.medianOverheadMillis());
        node.put("median_overhead_fraction", result.medianOverheadFraction());
        node.put("coordinator_retained_heap_bytes", result.retainedHeapBytes());
        node.put("round_state_bytes_analytic", 28L * result.parameterCount());
        ArrayNode rounds = node.putArray("rounds");
        for (RoundMeasurement round : result.rounds()) {
          ObjectNode r = rounds.addObject();
          r.put("round", round.round());
          r.put("committed", round.committed());
          r.put("contributors", round.contributors());
          r.put("wall_ms", round.wallMillis());
          r.put("slowest_training_ms", round.slowestTrainingMillis());
          r.put("overhead_ms", round.overheadMillis());
          r.put("overhead_fraction", round.overheadFraction());
        }
      }
      BankCountResult fewest = results.stream().min((a, b) -> Integer.compare(a.banks(), b.banks())).orElseThrow();
      BankCountResult most = results.stream().max((a, b) -> Integer.compare(a.banks(), b.banks())).orElseThrow();
      ObjectNode ratios = root.putObject("ratios");
      ratios.put("most_banks", most.banks());
      ratios.put("fewest_banks", fewest.banks());
      ratios.put("overhead_ms_most_vs_fewest", most.medianOverheadMillis() / fewest.medianOverheadMillis());
      // Below the measurement's noise floor (a few hundred KiB either way) a ratio means nothing: write null.
      if (fewest.retainedHeapBytes() >= HEAP_RATIO_FLOOR_BYTES) {
        ratios.put("coordinator_heap_most_vs_fewest", (double) most.retainedHeapBytes() / fewest.retainedHeapBytes());
      } else {
        ratios.putNull("coordinator_heap_most_vs_fewest");
      }
      return root;
    }

    private static String table(List<BankCountResult> results, ObjectNode json) {
      StringBuilder text = new StringBuilder();
      text.append("%6s %8s %12s %14s %12s %10s %14s%n".formatted("banks", "rounds", "wall ms", "slowest train",
          "overhead ms", "overhead", "coord. heap"));
      for (BankCountResult r : results) {
        text.append("%6d %8d %12.0f %14.0f %12.0f %9.1f%% %11.2f MiB%n".formatted(r.banks(), r.measuredRounds().size(),
            r.medianWallMillis(), r.medianTrainingMillis(), r.medianOverheadMillis(),
            100 * r.medianOverheadFraction(), r.retainedHeapBytes() / (1024.0 * 1024.0)));
      }
      ObjectNode ratios = (ObjectNode) json.get("ratios");
      text.append("medians over rounds 2..N; overhead = round wall time - slowest bank's training time%n".formatted());
      JsonNode heapRatio = ratios.get("coordinator_heap_most_vs_fewest");
      text.append("%d vs %d banks: overhead x%.2f, coordinator heap %s%n".formatted(ratios.get("most_banks").asInt(),
          ratios.get("fewest_banks").asInt(), ratios.get("overhead_ms_most_vs_fewest").asDouble(),
          heapRatio.isNull() ? "n/a (below the noise floor; run more rounds)" : "x%.2f".formatted(heapRatio.asDouble())));
      return text.toString();
    }
  }

  /** Runs {@link TrainingThroughputBenchmark} and prints its JSON report. */
  @Command(name = "training", mixinStandardHelpOptions = true,
      description = {"Local training throughput of the default fraud model, and the fraction of peak it reaches.",
          "Samples/s and GFLOP/s per batch size, against this machine's measured float32 matrix-product peak. "
              + "Prints one JSON report."})
  static final class Training implements Callable<Integer> {
    private static final BenchmarkOptions DEFAULTS = BenchmarkOptions.defaults();

    @Option(names = "--rows", paramLabel = "N", description = "Synthetic rows per epoch (default: 100000).")
    Integer rows;

    @Option(names = "--batch-sizes", split = ",", paramLabel = "B,B,...", hideParamSyntax = true,
        description = "Batch sizes, each measured on its own model (default: 256,1024).")
    List<Integer> batchSizes;

    @Option(names = "--warmup-epochs", paramLabel = "N", description = "Untimed epochs first (default: 5).")
    Integer warmupEpochs;

    @Option(names = "--timed-epochs", paramLabel = "N", description = "Timed epochs; the median is reported (default: 7).")
    Integer timedEpochs;

    @Option(names = "--matmul-size", paramLabel = "N", description = "n of the n x n peak product (default: 2048).")
    Integer matmulSize;

    @Option(names = "--matmul-repeats", paramLabel = "N", description = "Timed matrix products (default: 7).")
    Integer matmulRepeats;

    @Option(names = "--device", paramLabel = "DEVICE", description = "cpu, gpu, gpu:N or auto (default: auto).")
    String device;

    @Option(names = "--threads", paramLabel = "N",
        description = "TensorFlow intra-op threads (default: one per processor).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
      requirePositive("--rows", rows);
      requirePositive("--warmup-epochs", warmupEpochs == null ? null : warmupEpochs + 1); // 0 is allowed
      requirePositive("--timed-epochs", timedEpochs);
      requirePositive("--matmul-size", matmulSize);
      requirePositive("--matmul-repeats", matmulRepeats);
      requirePositive("--threads", threads);
      if (batchSizes != null) {
        for (Integer batchSize : batchSizes) {
          requirePositive("--batch-sizes", batchSize);
        }
      }
      BenchmarkOptions options;
      try {
        options = new BenchmarkOptions(DEFAULTS.inputWidth(),
            rows != null ? rows : DEFAULTS.rows(),
            batchSizes != null ? batchSizes : DEFAULTS.batchSizes(),
            warmupEpochs != null ? warmupEpochs : DEFAULTS.warmupEpochs(),
            timedEpochs != null ? timedEpochs : DEFAULTS.timedEpochs(),
            matmulSize != null ? matmulSize : DEFAULTS.matmulSize(),
            DEFAULTS.matmulWarmups(),
            matmulRepeats != null ? matmulRepeats : DEFAULTS.matmulRepeats(),
            device != null ? DeviceSelection.parse(device) : DEFAULTS.device(),
            threads != null ? new SessionThreads(threads, DEFAULTS.threads().interOpThreads()) : DEFAULTS.threads(),
            DEFAULTS.seed());
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.BadInputException(e.getMessage());
      }
      BenchmarkReport report = TrainingThroughputBenchmark.run(options);
      System.out.println(report.toJson());
      return ExitCodes.OK;
    }
  }

  /**
   * Used heap once the agents are gone: {@link FederatedRegime} stops its agents and channels without waiting for
   * their threads, which still hold the banks' data for a moment. Waits (at most 30 s) until no agent thread is
   * alive and two readings a second apart agree within 64 KiB, so nothing of the agents is counted as coordinator.
   */
  static long settledHeapAfterAgentsStop() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long previous = Long.MIN_VALUE;
    while (true) {
      long used = usedHeapAfterGc();
      boolean agentsGone = Thread.getAllStackTraces().keySet().stream()
          .noneMatch(t -> t.getName().startsWith("agent-poller-") || t.getName().startsWith("simulated-bank"));
      if ((agentsGone && Math.abs(used - previous) < 64 * 1024) || System.nanoTime() > deadline) {
        return used;
      }
      previous = used;
      Thread.sleep(1_000);
    }
  }

  private static void requirePositive(String option, Integer value) throws ExitCodes.BadInputException {
    if (value != null && value < 1) {
      throw new ExitCodes.BadInputException("%s must be >= %d, got %d".formatted(
          option, option.equals("--warmup-epochs") ? 0 : 1, option.equals("--warmup-epochs") ? value - 1 : value));
    }
  }

  /** Used heap after full collections, settled: repeated until two readings agree within 64 KiB (at most 5 GCs). */
  static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    long used = 0;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < 64 * 1024) {
        break;
      }
      previous = used;
    }
    return used;
  }

  private static void environment(ObjectNode node) {
    node.put("java_version", System.getProperty("java.version"));
    node.put("available_processors", Runtime.getRuntime().availableProcessors());
    node.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    node.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  /** One training round as the coordinator reported it. */
  record RoundMeasurement(int round, boolean committed, int contributors, long wallMillis, long slowestTrainingMillis) {
    long overheadMillis() {
      return wallMillis - slowestTrainingMillis;
    }

    double overheadFraction() {
      return wallMillis == 0 ? 0.0 : (double) overheadMillis() / wallMillis;
    }
  }

  /** Everything measured for one bank count. */
  record BankCountResult(int banks, int parameterCount, double runSeconds, List<RoundMeasurement> rounds,
      long retainedHeapBytes) {
    /** Rounds 2..N that committed: the warm-up round and failed rounds are left out of the medians. */
    List<RoundMeasurement> measuredRounds() {
      return rounds.stream().filter(r -> r.round() > 1 && r.committed()).toList();
    }

    double medianWallMillis() {
      return median(measuredRounds().stream().mapToDouble(RoundMeasurement::wallMillis).toArray());
    }

    double medianTrainingMillis() {
      return median(measuredRounds().stream().mapToDouble(RoundMeasurement::slowestTrainingMillis).toArray());
    }

    double medianOverheadMillis() {
      return median(measuredRounds().stream().mapToDouble(RoundMeasurement::overheadMillis).toArray());
    }

    double medianOverheadFraction() {
      return median(measuredRounds().stream().mapToDouble(RoundMeasurement::overheadFraction).toArray());
    }
  }

  /** Median; NaN for no values (every measured round failed). */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
