package org.comity.agent.data;

import java.util.List;

/**
 * The outcome of checking a data file against the plan: the dataset when the file is usable, and every problem
 * found. A file with any problem is not used for training, and nothing of it is sent anywhere.
 *
 * @param source the file or query checked
 * @param rowsRead data rows read
 * @param problems all problems, aggregated by column and kind
 * @param dataset the encoded rows, or {@code null} when there are problems
 */
public record DataCheckReport(String source, long rowsRead, List<DataProblem> problems, BankDataset dataset) {
  public DataCheckReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty() && dataset != null;
  }

  /** A multi-line human-readable report. */
  public String describe() {
    if (ok()) {
      return "%s: OK, %d rows, %d positives (%.3f%%), %d model inputs".formatted(source, dataset.rows(),
          dataset.positives(), 100.0 * dataset.positives() / dataset.rows(), dataset.columns());
    }
    StringBuilder text = new StringBuilder("%s: %d problem(s) in %d data rows read; the data will not be used:"
        .formatted(source, problems.size(), rowsRead));
    for (DataProblem problem : problems) {
      text.append("\n  - ").append(problem.describe());
    }
    return text.toString();
  }
}
