package org.comity.simulation.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.simulation.bench.JournalOverheadBenchmark;
import org.comity.simulation.data.SyntheticConsortiumConfig;
import org.comity.simulation.recovery.CrashRecoveryRun;
import org.comity.simulation.recovery.KillPoint;
import org.comity.simulation.run.ConsortiumPreparer;
import org.comity.simulation.run.PreparedConsortium;
import org.comity.simulation.run.SimulationConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench journal} and {@code bench recovery}: what durability costs a round, and how fast a restart resumes. */
final class RecoveryBenchCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RecoveryBenchCommand() {}

  /** {@code bench journal}. */
  @Command(name = "journal", mixinStandardHelpOptions = true,
      description = {"Journal write overhead per round as a fraction of round time: one federated run (real "
          + "coordinator and agents in this JVM) journaling to a store, every journal write timed.",
          "Writes bench-journal.json into --out."})
  static final class Journal implements Callable<Integer> {
    @Option(names = "--banks", defaultValue = "5", paramLabel = "N", description = "Banks, 2 to 50 (default: ${DEFAULT-VALUE}).")
    int banks;

    @Option(names = "--rounds", defaultValue = "6", paramLabel = "N",
        description = "Training rounds, >= 2; round 1 is warm-up (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--rows-per-bank", defaultValue = "2000", paramLabel = "R",
        description = "Mean training rows per bank (default: ${DEFAULT-VALUE}).")
    int rowsPerBank;

    @Option(names = "--database", paramLabel = "URL",
        description = "Store JDBC URL (default: a new SQLite file in --out); credentials from $COMITY_DB_USER and "
            + "$COMITY_DB_PASSWORD.")
    String database;

    @Option(names = "--out", defaultValue = "comity-bench-out", paramLabel = "DIR",
        description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (banks < SyntheticConsortiumConfig.MIN_BANKS || banks > SyntheticConsortiumConfig.MAX_BANKS) {
        throw new ExitCodes.BadInputException("--banks must be %d to %d, got %d".formatted(
            SyntheticConsortiumConfig.MIN_BANKS, SyntheticConsortiumConfig.MAX_BANKS, banks));
      }
      if (rounds < 2 || rounds > 200) {
        throw new ExitCodes.BadInputException("--rounds must be 2 to 200, got " + rounds);
      }
      if (rowsPerBank < SyntheticConsortiumConfig.MIN_TRAINING_ROWS_PER_BANK || rowsPerBank > 100_000) {
        throw new ExitCodes.BadInputException("--rows-per-bank must be %d to 100000, got %d"
            .formatted(SyntheticConsortiumConfig.MIN_TRAINING_ROWS_PER_BANK, rowsPerBank));
      }
      Files.createDirectories(out);
      Path work = Files.createTempDirectory(out, "journal-");
      String url = database != null ? database : "jdbc:sqlite:" + work.resolve("coordinator.db");
      System.err.printf("bench journal: %d banks, %d rounds, store %s...%n", banks, rounds, url.replaceAll("password=[^&]*", "password=***"));
      JournalOverheadBenchmark.Result result = JournalOverheadBenchmark.run(banks, rounds, rowsPerBank, 1, work, url);
      System.out.printf("%6s %12s %14s %8s %10s%n", "round", "wall ms", "journal ms", "writes", "fraction");
      for (JournalOverheadBenchmark.RoundCost round : result.rounds()) {
        System.out.printf("%6d %12.1f %14.2f %8d %9.3f%%%n", round.round(), round.wallMillis(), round.journalMillis(),
            round.writes(), 100 * round.fraction());
      }
      System.out.printf("median over rounds 2..%d: journal %.2f ms of %.1f ms per round = %.3f%% (store %s)%n",
          rounds, result.medianJournalMillis(), result.medianWallMillis(), 100 * result.medianFraction(),
          result.database());
      Path file = out.resolve("bench-journal.json");
      JSON.writeValue(file.toFile(), result);
      System.out.println("results: " + file.toAbsolutePath());
      return ExitCodes.OK;
    }
  }

  /** {@code bench recovery}. */
  @Command(name = "recovery", mixinStandardHelpOptions = true,
      description = {"Restart-to-resume time: the coordinator, a separate process journaling to SQLite, is killed "
          + "with SIGKILL while round 2 trains and started again; measures the time from the restart to the "
          + "'listening' line and to the round in flight having its banks again, and checks the final model equals "
          + "an uninterrupted run's.",
          "Writes bench-recovery.json into --out."})
  static final class Recovery implements Callable<Integer> {
    @Option(names = "--banks", defaultValue = "3", paramLabel = "N", description = "Banks, 3 to 20 (default: ${DEFAULT-VALUE}).")
    int banks;

    @Option(names = "--repeat", defaultValue = "3", paramLabel = "N",
        description = "Kills per kill point, 1 to 20 (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--out", defaultValue = "comity-bench-out", paramLabel = "DIR",
        description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (banks < 3 || banks > 20) {
        throw new ExitCodes.BadInputException("--banks must be 3 to 20, got " + banks);
      }
      if (repeat < 1 || repeat > 20) {
        throw new ExitCodes.BadInputException("--repeat must be 1 to 20, got " + repeat);
      }
      Files.createDirectories(out);
      Path work = Files.createTempDirectory(out, "recovery-").toAbsolutePath();
      Map<String, Object> report = new LinkedHashMap<>();
      boolean allEqual = true;
      for (boolean secure : List.of(false, true)) {
        Path dir = work.resolve(secure ? "secure" : "plain");
        PreparedConsortium consortium = ConsortiumPreparer.prepareSynthetic(new SimulationConfig(null, banks, 2, 1,
            null, null, "label", "iid", dir, 1, secure), 2000 * banks, SyntheticConsortiumConfig.MIN_TEST_ROWS);
        Path plan = dir.resolve("plan.yaml");
        CrashRecoveryRun.Outcome reference = runner(work).run(consortium, plan, null, dir.resolve("reference"));
        KillPoint point = secure ? KillPoint.SECAGG_MASKED_INPUT : KillPoint.TRAINING;
        System.out.printf("%-22s %10s %14s %12s %10s %s%n", "kill point", "attempt", "to listening", "to resumed",
            "run ratio", "final model");
        for (int attempt = 1; attempt <= repeat; attempt++) {
          CrashRecoveryRun.Outcome killed = runner(work).run(consortium, plan, point,
              dir.resolve("killed-" + attempt));
          boolean equal = killed.finalHash().equals(reference.finalHash());
          allEqual &= equal;
          double ratio = (double) killed.runMillis() / reference.runMillis();
          System.out.printf("%-22s %10d %11d ms %9d ms %9.2fx %s%n", point, attempt,
              killed.restartToListeningMillis(), killed.restartToResumedMillis(), ratio,
              equal ? "same as uninterrupted" : "DIFFERENT");
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("restartToListeningMillis", killed.restartToListeningMillis());
          row.put("restartToResumedMillis", killed.restartToResumedMillis());
          row.put("runMillis", killed.runMillis());
          row.put("uninterruptedRunMillis", reference.runMillis());
          row.put("sameFinalModel", equal);
          report.put(point + "#" + attempt, row);
        }
      }
      Path file = out.resolve("bench-recovery.json");
      JSON.writeValue(file.toFile(), report);
      System.out.println("results: " + file.toAbsolutePath());
      return allEqual ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static int next;

    private static CrashRecoveryRun runner(Path work) {
      next++;
      return new CrashRecoveryRun(TensorFlowLocalModel.factory(DeviceSelection.cpu(), new SessionThreads(1, 1)),
          "jdbc:sqlite:" + work.resolve("store-" + next + ".db"), Map.of());
    }
  }
}
