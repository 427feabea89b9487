package org.comity.coordinator.store;

import java.time.Instant;

/**
 * One committed model version as the registry lists it (no weights).
 *
 * @param runId the run that committed it
 * @param version its number within the run
 * @param round the training round that built it
 * @param planHash the plan of the run
 * @param committedAt when it was committed
 * @param rocAuc federated validation ROC-AUC, NaN if not evaluated
 * @param prAuc federated validation PR-AUC, NaN if not evaluated
 * @param epsilonSpent bank-level epsilon spent by the run up to it (0 without bank-level DP)
 * @param weightsHash hex SHA-256 of the packed weights
 * @param participants how many banks' updates built it
 * @param promoted whether it is the version currently promoted for serving
 */
public record CatalogEntry(String runId, long version, int round, String planHash, Instant committedAt, double rocAuc,
    double prAuc, double epsilonSpent, String weightsHash, int participants, boolean promoted) {

  public ModelRef ref() {
    return new ModelRef(runId, version);
  }
}
