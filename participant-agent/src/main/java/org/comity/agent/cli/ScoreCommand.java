package org.comity.agent.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.comity.agent.data.BankDataSource;
import org.comity.agent.data.BankDataset;
import org.comity.agent.data.DataCheckReport;
import org.comity.agent.data.PlanDataValidator;
import org.comity.agent.scoring.ExportedModelScorer;
import org.comity.agent.scoring.ExportedModels;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import org.comity.plan.ScoringSpec;
import org.comity.serving.ServingInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code score}: scores the bank's rows with an exported model version, locally, and bands each score by the
 * plan's thresholds. Nothing is sent anywhere.
 */
// Not mixinStandardHelpOptions: its -V/--version would take the --version flag that picks a model version.
@Command(name = "score", description = "Scores the bank's rows (CSV or database query) with a model version "
    + "exported by the coordinator ('model export'), loaded as TensorFlow Serving loads it, and writes a CSV: "
    + "[id,] fraud_probability, band (allow / review / block by the plan's scoring thresholds). The model must "
    + "belong to the bank's plan. Rows are checked like training data, except that the label column is not needed. "
    + "Runs locally; nothing is sent.")
final class ScoreCommand implements Callable<Integer> {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  /** Inputs larger than this many rows get a progress bar on stderr. */
  static final int PROGRESS_THRESHOLD_ROWS = 50_000;

  @Option(names = "--plan", required = true, paramLabel = "FILE", description = "Federation plan (YAML).")
  Path plan;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "An exported version directory (holds comity-model.json), or its parent of numbered versions.")
  Path model;

  @Option(names = "--version", paramLabel = "V",
      description = "The version to use when --model holds numbered versions (default: the highest).")
  Long version;

  @Mixin
  DataSourceOptions data;

  @Option(names = "--id-column", paramLabel = "NAME",
      description = "A column of the data copied to the output as the first column, to join scores back.")
  String idColumn;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The scores (CSV).")
  Path out;

  @Option(names = "--overwrite", description = "Replace --out if it exists.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    FederationPlan loaded = PlanLoader.load(plan);
    if (Files.exists(out) && !overwrite) {
      throw new ExitCodes.BadInputException("--out %s exists; pass --overwrite to replace it".formatted(out));
    }
    Path versionDir;
    try {
      versionDir = ExportedModels.resolveVersionDirectory(model, version);
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.BadInputException(e.getMessage());
    }
    try (ExportedModelScorer scorer = open(versionDir, loaded)) {
      BankDataSource source = data.source();
      PlanDataValidator validator;
      try {
        validator = PlanDataValidator.forScoring(loaded, idColumn, source.positions());
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.BadInputException("--id-column: " + e.getMessage());
      }
      DataCheckReport report = source.read(validator);
      if (!report.ok()) {
        throw new ExitCodes.BadInputException(report.describe());
      }
      BankDataset rows = report.dataset();
      float[] raw = ServingInput.fromModelInputs(loaded, rows.featuresRowMajor(), rows.rows());
      float[] scores = score(scorer, raw, rows.rows());
      Map<ScoringSpec.Band, Long> counts = write(loaded.scoring(), validator.ids(), scores);
      System.out.printf("scored %d rows from %s with model version %d (plan %s): allow %d, review %d, block %d "
              + "(review from %s, block from %s); wrote %s%n", rows.rows(), report.source(),
          scorer.manifest().modelVersion(), scorer.manifest().planHash().substring(0, 12),
          counts.get(ScoringSpec.Band.ALLOW), counts.get(ScoringSpec.Band.REVIEW), counts.get(ScoringSpec.Band.BLOCK),
          loaded.scoring().reviewThreshold(), loaded.scoring().blockThreshold(), out);
      return ExitCodes.OK;
    }
  }

  private static ExportedModelScorer open(Path versionDir, FederationPlan plan) throws ExitCodes.BadInputException {
    try {
      return ExportedModelScorer.open(versionDir, plan);
    } catch (ExportedModelScorer.PlanMismatchException | IOException e) {
      throw new ExitCodes.BadInputException(e.getMessage());
    }
  }

  private static float[] score(ExportedModelScorer scorer, float[] raw, int rows) {
    if (rows < PROGRESS_THRESHOLD_ROWS) {
      return scorer.score(raw, rows, done -> { });
    }
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("scoring").setInitialMax(rows)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setMaxRenderedLength(100)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
      return scorer.score(raw, rows, bar::stepTo);
    }
  }

  private Map<ScoringSpec.Band, Long> write(ScoringSpec scoring, List<String> ids, float[] scores) throws IOException {
    Map<ScoringSpec.Band, Long> counts = new EnumMap<>(ScoringSpec.Band.class);
    for (ScoringSpec.Band band : ScoringSpec.Band.values()) {
      counts.put(band, 0L);
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      if (idColumn != null) {
        writer.write(csvCell(idColumn));
        writer.write(',');
      }
      writer.write("fraud_probability,band\n");
      for (int row = 0; row < scores.length; row++) {
        ScoringSpec.Band band = scoring.band(scores[row]);
        counts.merge(band, 1L, Long::sum);
        if (idColumn != null) {
          writer.write(csvCell(ids.get(row)));
          writer.write(',');
        }
        // Float.toString is the shortest decimal that reads back to the same float32: no precision is lost.
        writer.write(Float.toString(scores[row]));
        writer.write(',');
        writer.write(band.label());
        writer.write('\n');
      }
    }
    return counts;
  }

  /** RFC 4180 quoting where needed. */
  static String csvCell(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return "\"" + value.replace("\"", "\"\"") + "\"";
  }
}
