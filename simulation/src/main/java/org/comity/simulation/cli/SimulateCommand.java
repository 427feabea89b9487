package org.comity.simulation.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.simulation.report.ResultTable;
import org.comity.simulation.report.RoundChart;
import org.comity.simulation.report.ResultsJson;
import org.comity.simulation.run.SimulationConfig;
import org.comity.simulation.run.SimulationResults;
import org.comity.simulation.run.SimulationRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simulate}: a consortium in one JVM; prints the result table and writes results.json. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Runs a simulated consortium end to end through the real coordinator and agents over loopback gRPC,",
        "then trains the local-only and centralized baselines, and compares the three on one test set.",
        "With no flags: the synthetic non-IID consortium of 5 banks."})
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--plan", paramLabel = "FILE", description = "Federation plan (default: built in, or inferred from --data).")
  Path plan;

  @Option(names = "--banks", defaultValue = "5", paramLabel = "N", description = "Number of banks (default: ${DEFAULT-VALUE}).")
  int banks;

  @Option(names = "--rounds", paramLabel = "N", description = "Training rounds (default: the plan's, or 40).")
  Integer rounds;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Seed; same seed, same numbers (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--data", paramLabel = "CSV", description = "A real labelled CSV to partition across the banks instead of synthetic data.")
  Path data;

  @Option(names = "--test", paramLabel = "CSV", description = "Test CSV for --data (same columns).")
  Path test;

  @Option(names = "--label", defaultValue = "label", paramLabel = "COLUMN", description = "Label column of --data (default: ${DEFAULT-VALUE}).")
  String label;

  @Option(names = "--partition", defaultValue = "iid", paramLabel = "SPEC",
      description = "How --data is split: iid, dirichlet:ALPHA (label skew), size:ALPHA (quantity skew). Default: ${DEFAULT-VALUE}.")
  String partition;

  @Option(names = "--secure-aggregation",
      description = "Turn secure aggregation (SecAgg+) on in the built-in or inferred plan; needs 3 or more banks.")
  boolean secureAggregation;

  @Option(names = "--epsilon-ceiling", paramLabel = "EPSILON",
      description = "Each bank's own DP-SGD epsilon ceiling, when the plan enables privacy.sample_level.")
  Double epsilonCeiling;

  @Option(names = "--privacy-sweep", split = ",", paramLabel = "EPSILONS",
      description = "After the three regimes, repeat the federated run with DP-SGD at each target epsilon "
          + "(comma list, e.g. 1,3,10) and report the privacy/utility curve.")
  java.util.List<Double> privacySweep = new java.util.ArrayList<>();

  @Option(names = "--out", defaultValue = "comity-simulation-out", paramLabel = "DIR",
      description = "Output directory: bank files, log, results.json (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    SimulationConfig config = new SimulationConfig(plan, banks, rounds, seed, data, test, label, partition, out, 1,
        secureAggregation, epsilonCeiling, privacySweep);
    Files.createDirectories(out);
    System.setProperty("comity.simulation.log", out.resolve("simulation.log").toString());
    SimulationRunner runner = new SimulationRunner(
        TensorFlowLocalModel.factory(DeviceSelection.cpu(), new SessionThreads(1, 1)), new ProgressBars());
    SimulationResults results = runner.run(config);
    Path json = out.resolve("results.json");
    ResultsJson.write(results, json);
    Path chart = out.resolve("federated-rounds.png");
    RoundChart.write(results, chart);
    System.out.println();
    System.out.print(ResultTable.render(results));
    System.out.println("results: " + json.toAbsolutePath());
    System.out.println("chart: " + chart.toAbsolutePath());
    return ExitCodes.OK;
  }
}
