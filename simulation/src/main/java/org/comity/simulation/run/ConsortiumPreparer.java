package org.comity.simulation.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanException;
import org.comity.plan.PlanLoader;
import org.comity.simulation.data.CsvTables;
import org.comity.simulation.data.LabeledTable;
import org.comity.simulation.data.PartitionSpec;
import org.comity.simulation.data.Partitioner;
import org.comity.simulation.data.SyntheticBank;
import org.comity.simulation.data.SyntheticConsortium;
import org.comity.simulation.data.SyntheticConsortiumConfig;

/**
 * Turns a simulation config into bank CSV files and a plan: the synthetic consortium, or a real CSV partitioned
 * across virtual banks. The agents then read these files exactly as a bank's agent reads its export.
 */
public final class ConsortiumPreparer {
  /** Rounds of the built-in plans when neither the plan nor the command line sets them. */
  public static final int DEFAULT_ROUNDS = 40;

  private ConsortiumPreparer() {}

  public static PreparedConsortium prepare(SimulationConfig config) throws IOException, PlanException {
    Path bankDir = config.outDir().resolve("banks");
    Files.createDirectories(bankDir);
    SyntheticConsortiumConfig defaults = SyntheticConsortiumConfig.defaults(config.seed());
    return config.data() == null ? synthetic(config, bankDir, defaults.trainingRows(), defaults.testRows())
        : partitioned(config, bankDir);
  }

  /**
   * As {@link #prepare(SimulationConfig)} for the synthetic consortium ({@code config.data()} must be {@code null}),
   * with the generator's total training rows and test rows set instead of its defaults (benchmarks use small banks).
   *
   * @throws IllegalArgumentException if {@code config} names a CSV, or the row counts break
   *     {@link SyntheticConsortiumConfig}'s ranges (at least 1,000 training rows per bank, 1,000 test rows)
   */
  public static PreparedConsortium prepareSynthetic(SimulationConfig config, int trainingRows, int testRows)
      throws IOException, PlanException {
    if (config.data() != null) {
      throw new IllegalArgumentException("prepareSynthetic needs a config without --data, got " + config.data());
    }
    Path bankDir = config.outDir().resolve("banks");
    Files.createDirectories(bankDir);
    return synthetic(config, bankDir, trainingRows, testRows);
  }

  private static PreparedConsortium synthetic(SimulationConfig config, Path bankDir, int totalTrainingRows,
      int testRows) throws IOException, PlanException {
    SyntheticConsortiumConfig defaults = SyntheticConsortiumConfig.defaults(config.seed());
    SyntheticConsortium consortium = SyntheticConsortium.generate(new SyntheticConsortiumConfig(config.banks(),
        config.seed(), totalTrainingRows, testRows, defaults.testFraudRate()));
    List<PreparedConsortium.BankFile> banks = new ArrayList<>();
    for (SyntheticBank bank : consortium.banks()) {
      Path csv = bankDir.resolve(bank.profile().bankId() + ".csv");
      CsvTables.write(bank.training(), csv, "label");
      banks.add(new PreparedConsortium.BankFile(bank.profile().bankId(), csv));
    }
    Path test = bankDir.resolve("test.csv");
    CsvTables.write(consortium.test(), test, "label");
    FederationPlan plan = plan(config, SyntheticConsortium.featureNames(), "label", 256);
    long trainingRows = consortium.banks().stream().mapToLong(b -> b.profile().rows()).sum();
    return new PreparedConsortium(plan, banks, test, "synthetic consortium of %d banks, %d training rows, %d test rows (seed %d)"
        .formatted(config.banks(), trainingRows, consortium.test().rows(), config.seed()));
  }

  private static PreparedConsortium partitioned(SimulationConfig config, Path bankDir) throws IOException, PlanException {
    LabeledTable table = CsvTables.readNumeric(config.data(), config.label());
    PartitionSpec spec = PartitionSpec.parse(config.partition());
    List<LabeledTable> parts = Partitioner.partition(table, config.banks(), spec, config.seed());
    List<PreparedConsortium.BankFile> banks = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      String id = "bank-%02d".formatted(i + 1);
      Path csv = bankDir.resolve(id + ".csv");
      CsvTables.write(parts.get(i), csv, config.label());
      banks.add(new PreparedConsortium.BankFile(id, csv));
    }
    // Small tables get small batches: with a 256-row batch a bank of 100 rows would take one step per round.
    int batch = table.rows() / config.banks() < 2_000 ? 32 : 256;
    FederationPlan plan = plan(config, table.featureNames(), config.label(), batch);
    return new PreparedConsortium(plan, banks, config.test(), "%s partitioned %s across %d banks (%d rows, seed %d)"
        .formatted(config.data().getFileName(), config.partition(), config.banks(), table.rows(), config.seed()));
  }

  private static FederationPlan plan(SimulationConfig config, List<String> features, String label, int batchSize)
      throws IOException, PlanException {
    String yaml;
    if (config.planFile() != null) {
      yaml = Files.readString(config.planFile());
      if (config.rounds() != null) {
        FederationPlan loaded = PlanLoader.parse(yaml, config.planFile().toString());
        yaml = null;
        return withRounds(loaded, config.rounds());
      }
      return PlanLoader.parse(yaml, config.planFile().toString());
    }
    yaml = inferredPlanYaml(config, features, label, batchSize);
    Files.writeString(config.outDir().resolve("plan.yaml"), yaml);
    return PlanLoader.parse(yaml, "the simulation's inferred plan");
  }

  /** The plan the simulation uses without {@code --plan}: every numeric column but the label is a feature. */
  static String inferredPlanYaml(SimulationConfig config, List<String> features, String label, int batchSize) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("# Written by comity-simulation: every numeric column but the label is a feature.\n");
    yaml.append("plan_version: 1\nname: simulated-consortium\nlabel: ").append(quote(label)).append('\n');
    yaml.append("features:\n");
    for (String feature : features) {
      yaml.append("  - {name: ").append(quote(feature)).append(", type: numeric, missing: reject}\n");
    }
    int rounds = config.rounds() == null ? DEFAULT_ROUNDS : config.rounds();
    int quorum = Math.max(1, (int) Math.ceil(config.banks() * 0.6));
    yaml.append("""
        model:
          hidden_units: [128, 64, 32]
          dropout: 0.3
          activation: relu
          init_seed: %d
        training:
          epochs: 1
          batch_size: %d
          learning_rate: 0.001
          imbalance: class_weight
          class_weight: balanced
          optimizer_state: keep_per_bank
        rounds:
          count: %d
          participants_per_round: all
          min_quorum: %d
          min_members_to_start: %d
          deadline: 10m
          evaluation_deadline: 5m
          join_timeout: 2m
          seed: %d
        evaluation:
          holdout_fraction: 0.2
          holdout_seed: %d
          threshold: 0.5
        secure_aggregation:
          enabled: %s
          corrupt_fraction: 0.1
          dropout_rate: 0.1
          threat_model: semi_honest
          stage_deadline: 2m
        """.formatted(config.seed(), batchSize, rounds, Math.max(quorum, config.secureAggregation() ? 3 : 1),
        config.banks(), config.seed(), config.seed() + 1, config.secureAggregation()));
    return yaml.toString();
  }

  private static FederationPlan withRounds(FederationPlan plan, int rounds) {
    var r = plan.rounds();
    return new FederationPlan(plan.name(), plan.features(), plan.label(), plan.model(), plan.training(),
        new org.comity.plan.RoundsSpec(rounds, r.participantsPerRound(), r.minQuorum(), r.minMembersToStart(),
            r.deadline(), r.evaluationDeadline(), r.joinTimeout(), r.serverLearningRate(), r.seed()),
        plan.evaluation(), plan.secureAggregation(), plan.bankPrivacy(), plan.samplePrivacy(), plan.scoring());
  }

  private static String quote(String name) {
    return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
