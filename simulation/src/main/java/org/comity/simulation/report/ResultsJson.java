package org.comity.simulation.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.coordinator.round.RoundReport;
import org.comity.simulation.run.BaselineRegimes;
import org.comity.simulation.run.RegimeResult;
import org.comity.simulation.run.SimulationResults;

/**
 * Writes {@code results.json}: for each regime the test metrics of the selected model at the top level
 * ({@code federated.roc_auc}, ...), the final model's beside them, and the federated run's per-round record.
 * Metrics that are undefined (NaN) are written as {@code null}, so the file is strict JSON.
 */
public final class ResultsJson {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsJson() {}

  public static ObjectNode toJson(SimulationResults results) {
    ObjectNode root = JSON.createObjectNode();
    root.put("description", results.description());
    root.put("plan_hash", results.planHash());
    root.put("banks", results.banks());
    root.put("seed", results.seed());
    root.put("model_selection", "best validation ROC-AUC on the banks' holdouts; test set used only for reporting");

    ObjectNode federated = regime(root.putObject("federated"), results.federated());
    ArrayNode rounds = federated.putArray("rounds");
    for (RoundReport report : results.rounds()) {
      ObjectNode round = rounds.addObject();
      round.put("round", report.round());
      round.put("outcome", report.outcome().name().toLowerCase());
      round.put("reason", report.reason());
      round.put("version", report.version());
      number(round, "train_loss", report.meanTrainLoss());
      if (report.validation() != null) {
        number(round, "validation_roc_auc", report.validation().rocAuc());
        number(round, "validation_pr_auc", report.validation().prAuc());
        number(round, "validation_log_loss", report.validation().logLoss());
      }
      round.put("contributors", report.contributors().size());
      round.put("epsilon_spent", report.epsilonSpent());
      ObjectNode dropouts = round.putObject("dropouts");
      report.dropouts().forEach(dropouts::put);
      round.put("wall_seconds", report.wallTime().toMillis() / 1000.0);
      round.put("slowest_training_seconds", report.slowestTrainingMillis() / 1000.0);
    }

    ObjectNode epsilon = federated.putObject("bank_sample_epsilon_spent");
    new java.util.TreeMap<>(results.bankSampleEpsilon()).forEach(epsilon::put);

    ObjectNode local = root.putObject("local_only");
    metrics(local, results.localOnlyMean());
    metrics(local.putObject("final"), results.localOnlyFinalMean());
    ArrayNode banks = local.putArray("banks");
    for (BaselineRegimes.BankResult bank : results.localOnly()) {
      ObjectNode node = banks.addObject();
      node.put("bank", bank.bankId());
      regime(node, bank.result());
    }
    regime(root.putObject("centralized"), results.centralized());
    if (!results.privacySweep().isEmpty()) {
      ArrayNode sweep = root.putArray("privacy_utility");
      for (var point : results.privacySweep()) {
        ObjectNode node = sweep.addObject();
        node.put("target_epsilon", point.targetEpsilon());
        node.put("noise_multiplier", point.noiseMultiplier());
        node.put("clip_norm", org.comity.simulation.run.PrivacySweep.CLIP_NORM);
        node.put("delta_of_smallest_bank", point.delta());
        node.put("largest_bank_epsilon_spent", point.largestEpsilonSpent());
        node.put("selected_round", point.selectedRound());
        metrics(node, point.federated());
      }
    }
    ObjectNode seconds = root.putObject("wall_seconds");
    seconds.put("federated", results.seconds()[0]);
    seconds.put("local_only", results.seconds()[1]);
    seconds.put("centralized", results.seconds()[2]);
    return root;
  }

  public static void write(SimulationResults results, Path file) throws IOException {
    JSON.writeValue(file.toFile(), toJson(results));
  }

  private static ObjectNode regime(ObjectNode node, RegimeResult result) {
    metrics(node, result.selected());
    node.put("selected_round", result.selectedRound());
    metrics(node.putObject("final"), result.fin());
    return node;
  }

  private static void metrics(ObjectNode node, EvaluationSummary summary) {
    number(node, "roc_auc", summary.rocAuc());
    number(node, "pr_auc", summary.prAuc());
    number(node, "precision", summary.precision());
    number(node, "recall", summary.recall());
    number(node, "f1", summary.f1());
    number(node, "log_loss", summary.logLoss());
    node.put("threshold", summary.threshold());
    node.put("test_examples", summary.examples());
    node.put("test_positives", summary.positives());
  }

  private static void number(ObjectNode node, String key, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(key);
    } else {
      node.put(key, value);
    }
  }
}
