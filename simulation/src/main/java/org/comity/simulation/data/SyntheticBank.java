package org.comity.simulation.data;

import java.util.Objects;

/**
 * One synthetic bank: its profile and its training table.
 *
 * @param profile size, fraud rate and fraud patterns
 * @param training the bank's training rows ({@link SyntheticConsortium#featureNames()} columns)
 */
public record SyntheticBank(BankProfile profile, LabeledTable training) {
  public SyntheticBank {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(training, "training");
    if (training.rows() != profile.rows() || training.positives() != profile.fraudRows()) {
      throw new IllegalArgumentException(
          "training table has %d rows / %d fraud, profile says %d / %d"
              .formatted(training.rows(), training.positives(), profile.rows(), profile.fraudRows()));
    }
  }
}
