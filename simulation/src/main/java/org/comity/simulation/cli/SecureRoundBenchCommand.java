package org.comity.simulation.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.coordinator.round.RoundReport;
import org.comity.simulation.data.SyntheticConsortiumConfig;
import org.comity.simulation.run.ConsortiumPreparer;
import org.comity.simulation.run.FederatedRegime;
import org.comity.simulation.run.PreparedConsortium;
import org.comity.simulation.run.SimulationConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench secure-round}: the cost of secure aggregation in a whole simulated round. The same synthetic
 * consortium runs federated rounds with plain FedAvg and with SecAgg+, alternating the two modes in one JVM so
 * that both see the same machine load, and the median round wall time of each is compared.
 */
@Command(name = "secure-round", mixinStandardHelpOptions = true, description = {
    "Median wall time of a simulated federated round with secure aggregation against the same round without it,",
    "alternating the two modes in one run; prints the ratio and writes bench-secure-round.json."})
final class SecureRoundBenchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--banks", defaultValue = "5", paramLabel = "N", description = "Banks (3 to 50; default: ${DEFAULT-VALUE}).")
  int banks;

  @Option(names = "--rounds", defaultValue = "6", paramLabel = "N",
      description = "Rounds per run, >= 2; round 1 is warm-up (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--repeats", defaultValue = "2", paramLabel = "N",
      description = "Plain/secure run pairs, alternating (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(names = "--rows-per-bank", defaultValue = "4000", paramLabel = "R",
      description = "Mean training rows per bank, >= 1000 (default: ${DEFAULT-VALUE}).")
  int rowsPerBank;

  @Option(names = "--out", defaultValue = "comity-bench-out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (banks < 3 || banks > SyntheticConsortiumConfig.MAX_BANKS) {
      throw new ExitCodes.BadInputException("--banks must be 3 to %d (secure aggregation needs 3), got %d"
          .formatted(SyntheticConsortiumConfig.MAX_BANKS, banks));
    }
    if (rounds < 2 || rounds > 1000 || repeats < 1 || repeats > 100) {
      throw new ExitCodes.BadInputException("--rounds must be 2 to 1000 and --repeats 1 to 100");
    }
    if (rowsPerBank < SyntheticConsortiumConfig.MIN_TRAINING_ROWS_PER_BANK || rowsPerBank > 100_000) {
      throw new ExitCodes.BadInputException("--rows-per-bank must be %d to 100000, got %d"
          .formatted(SyntheticConsortiumConfig.MIN_TRAINING_ROWS_PER_BANK, rowsPerBank));
    }
    Files.createDirectories(out);
    System.setProperty("comity.simulation.log", out.resolve("bench.log").toString());
    PreparedConsortium plain = prepare(false);
    PreparedConsortium secure = prepare(true);
    List<Long> plainRounds = new ArrayList<>();
    List<Long> secureRounds = new ArrayList<>();
    for (int repeat = 0; repeat < repeats; repeat++) {
      System.err.printf("bench secure-round: pair %d of %d%n", repeat + 1, repeats);
      plainRounds.addAll(roundWallMillis(plain));
      secureRounds.addAll(roundWallMillis(secure));
    }
    double plainMedian = median(plainRounds);
    double secureMedian = median(secureRounds);
    ObjectNode json = JSON.createObjectNode();
    json.put("benchmark", "secure-round");
    json.put("command", "comity-simulation bench secure-round --banks %d --rounds %d --repeats %d --rows-per-bank %d"
        .formatted(banks, rounds, repeats, rowsPerBank));
    json.put("parameter_count", plain.plan().modelLayout().parameterCount());
    json.put("median_round_ms_plain", plainMedian);
    json.put("median_round_ms_secure", secureMedian);
    json.put("ratio_secure_to_plain", secureMedian / plainMedian);
    json.put("rounds_measured_each", plainRounds.size());
    JSON.writeValue(out.resolve("bench-secure-round.json").toFile(), json);
    System.out.printf("%d banks, %d parameters: median round %.0f ms plain, %.0f ms with secure aggregation: ratio %.2f%n",
        banks, plain.plan().modelLayout().parameterCount(), plainMedian, secureMedian, secureMedian / plainMedian);
    return ExitCodes.OK;
  }

  private PreparedConsortium prepare(boolean secureAggregation) throws Exception {
    SimulationConfig config = new SimulationConfig(null, banks, rounds, 1, null, null, "label", "iid",
        out.resolve(secureAggregation ? "secure" : "plain"), 1, secureAggregation);
    return ConsortiumPreparer.prepareSynthetic(config, rowsPerBank * banks, SyntheticConsortiumConfig.MIN_TEST_ROWS);
  }

  private List<Long> roundWallMillis(PreparedConsortium consortium) throws Exception {
    FederatedRegime regime = new FederatedRegime(
        TensorFlowLocalModel.factory(DeviceSelection.cpu(), new SessionThreads(1, 1)), report -> { },
        FederatedRegime.SIMULATION_OPTIONS);
    List<Long> walls = new ArrayList<>();
    try (var coordinator = regime.run(consortium, Duration.ofHours(1)).coordinator()) {
      for (RoundReport report : coordinator.engine().reports()) {
        if (report.round() >= 2) {
          walls.add(report.wallTime().toMillis());
        }
      }
    }
    return walls;
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }
}
