package org.comity.simulation.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.DatabaseUrl;
import org.comity.coordinator.store.JdbcRunJournal;
import org.comity.simulation.data.SyntheticConsortiumConfig;
import org.comity.simulation.run.ConsortiumPreparer;
import org.comity.simulation.run.FederatedRegime;
import org.comity.simulation.run.PreparedConsortium;
import org.comity.simulation.run.SimulationConfig;

/**
 * What the run journal costs a round: one federated run (the real coordinator and agents in this JVM, TensorFlow
 * training) journaling to a store, each journal write timed; per training round, the time spent in journal writes
 * as a fraction of the round's wall time, and the number of writes.
 */
public final class JournalOverheadBenchmark {
  /** One training round: its wall time, the time in journal writes, and how many writes it made. */
  public record RoundCost(int round, double wallMillis, double journalMillis, int writes) {
    public double fraction() {
      return journalMillis / wallMillis;
    }
  }

  /** The run: each training round's cost and the medians over rounds 2..N (round 1 warms up). */
  public record Result(String database, int banks, List<RoundCost> rounds, double medianFraction,
      double medianJournalMillis, double medianWallMillis) {}

  private JournalOverheadBenchmark() {}

  /**
   * @param databaseUrl the store (a SQLite file by default); credentials from the environment as for the coordinator
   */
  public static Result run(int banks, int rounds, int rowsPerBank, long seed, Path dir, String databaseUrl)
      throws Exception {
    SimulationConfig config = new SimulationConfig(null, banks, rounds, seed, null, null, "label", "iid", dir, 1);
    PreparedConsortium consortium = ConsortiumPreparer.prepareSynthetic(config, rowsPerBank * banks,
        SyntheticConsortiumConfig.MIN_TEST_ROWS);
    DatabaseUrl url = DatabaseUrl.parse(databaseUrl);
    try (Database store = Database.open(url, System.getenv(Database.USER_VARIABLE),
        System.getenv(Database.PASSWORD_VARIABLE))) {
      TimedRunJournal journal = new TimedRunJournal(new JdbcRunJournal(store));
      FederatedRegime regime = new FederatedRegime(
          TensorFlowLocalModel.factory(DeviceSelection.cpu(), new SessionThreads(1, 1)), report -> { },
          FederatedRegime.SIMULATION_OPTIONS).journaling(journal);
      CoordinatorServer coordinator = regime.run(consortium, Duration.ofHours(1)).coordinator();
      List<RoundCost> costs = new ArrayList<>();
      try {
        for (RoundReport report : coordinator.engine().reports()) {
          if (report.round() > 0 && report.outcome() == RoundPhase.COMMITTED) {
            costs.add(new RoundCost(report.round(), report.wallTime().toNanos() / 1e6,
                journal.nanos(report.round()) / 1e6, journal.writes(report.round())));
          }
        }
      } finally {
        coordinator.close();
      }
      List<RoundCost> measured = costs.size() > 1 ? costs.subList(1, costs.size()) : costs;
      return new Result(url.redacted(), banks, costs, median(measured.stream().mapToDouble(RoundCost::fraction)),
          median(measured.stream().mapToDouble(RoundCost::journalMillis)),
          median(measured.stream().mapToDouble(RoundCost::wallMillis)));
    }
  }

  private static double median(java.util.stream.DoubleStream values) {
    double[] sorted = values.sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
