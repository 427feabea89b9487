package org.comity.simulation.report;

import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.simulation.run.BaselineRegimes;
import org.comity.simulation.run.RegimeResult;
import org.comity.simulation.run.SimulationResults;

/** The result table printed at the end of a simulation. */
public final class ResultTable {
  private ResultTable() {}

  public static String render(SimulationResults results) {
    StringBuilder out = new StringBuilder();
    out.append(results.description()).append('\n');
    out.append("Test-set metrics of the model with the best validation ROC-AUC (final model in brackets)\n");
    String header = "%-26s %-17s %-17s %-9s %-9s %-9s %s%n";
    out.append(String.format(header, "regime", "ROC-AUC", "PR-AUC", "precision", "recall", "F1", "selected round"));
    out.append("-".repeat(100)).append('\n');
    row(out, "federated", results.federated());
    row(out, "local-only (mean of banks)", results.localOnlyMean(), results.localOnlyFinalMean(), "-");
    row(out, "centralized (pooled)", results.centralized());
    out.append('\n').append("Local-only per bank:\n");
    for (BaselineRegimes.BankResult bank : results.localOnly()) {
      row(out, "  " + bank.bankId(), bank.result());
    }
    EvaluationSummary f = results.federated().selected();
    out.append('\n').append(String.format(
        "federated - centralized ROC-AUC: %+.4f; federated - local-only mean: %+.4f%n",
        f.rocAuc() - results.centralized().selected().rocAuc(), f.rocAuc() - results.localOnlyMean().rocAuc()));
    if (!results.privacySweep().isEmpty()) {
      out.append("\nPrivacy/utility (DP-SGD at every bank; epsilon of the smallest bank, the largest spender):\n");
      for (var point : results.privacySweep()) {
        out.append(String.format("  epsilon %-8s noise %.3f: federated ROC-AUC %s, PR-AUC %s (spent %.3f)%n",
            point.targetEpsilon(), point.noiseMultiplier(), fmt(point.federated().rocAuc()),
            fmt(point.federated().prAuc()), point.largestEpsilonSpent()));
      }
    }
    long committed = results.rounds().stream().filter(r -> r.version() > 0).count();
    out.append(String.format("federated rounds: %d committed of %d; wall time federated %.1f s, local-only %.1f s, centralized %.1f s%n",
        committed, results.rounds().size(), results.seconds()[0], results.seconds()[1], results.seconds()[2]));
    return out.toString();
  }

  private static void row(StringBuilder out, String name, RegimeResult result) {
    row(out, name, result.selected(), result.fin(), Integer.toString(result.selectedRound()));
  }

  private static void row(StringBuilder out, String name, EvaluationSummary selected, EvaluationSummary fin,
      String round) {
    out.append(String.format("%-26s %-17s %-17s %-9s %-9s %-9s %s%n", name,
        pair(selected.rocAuc(), fin.rocAuc()), pair(selected.prAuc(), fin.prAuc()), fmt(selected.precision()),
        fmt(selected.recall()), fmt(selected.f1()), round));
  }

  private static String pair(double selected, double fin) {
    return "%s (%s)".formatted(fmt(selected), fmt(fin));
  }

  private static String fmt(double value) {
    return Double.isNaN(value) ? "n/a" : String.format("%.4f", value);
  }
}
