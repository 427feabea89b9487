package org.comity.simulation.data;

/**
 * Settings of a synthetic fraud consortium. Start from {@link #defaults(long)} and change what you need with the
 * {@code with*} methods; every value is checked here, with the allowed range in the message.
 *
 * @param banks number of banks, in [{@value #MIN_BANKS}, {@value #MAX_BANKS}]
 * @param seed fixes every draw: the same config gives byte-identical tables
 * @param trainingRows rows over all banks together, at least {@value #MIN_TRAINING_ROWS_PER_BANK} per bank and at
 *     most {@value #MAX_ROWS}; the default keeps a 40-round simulation to a few minutes on 2 cores
 * @param testRows rows of the shared test table, in [{@value #MIN_TEST_ROWS}, {@value #MAX_ROWS}]
 * @param testFraudRate fraud rate of the shared test table, in [{@value #MIN_TEST_FRAUD_RATE},
 *     {@value #MAX_TEST_FRAUD_RATE}]; higher than most banks' so that PR-AUC on it is stable
 */
public record SyntheticConsortiumConfig(int banks, long seed, int trainingRows, int testRows, double testFraudRate) {
  public static final int DEFAULT_BANKS = 5;
  public static final int DEFAULT_TRAINING_ROWS = 150_000;
  public static final int DEFAULT_TEST_ROWS = 30_000;
  public static final double DEFAULT_TEST_FRAUD_RATE = 0.015;
  public static final int MIN_BANKS = 2;
  public static final int MAX_BANKS = 50;
  public static final int MIN_TRAINING_ROWS_PER_BANK = 1_000;
  public static final int MIN_TEST_ROWS = 1_000;
  public static final int MAX_ROWS = 5_000_000;
  public static final double MIN_TEST_FRAUD_RATE = 0.005;
  public static final double MAX_TEST_FRAUD_RATE = 0.05;

  public SyntheticConsortiumConfig {
    if (banks < MIN_BANKS || banks > MAX_BANKS) {
      throw new IllegalArgumentException(
          "banks must be in [%d, %d], got %d".formatted(MIN_BANKS, MAX_BANKS, banks));
    }
    if (trainingRows < (long) MIN_TRAINING_ROWS_PER_BANK * banks || trainingRows > MAX_ROWS) {
      throw new IllegalArgumentException(
          "trainingRows must be in [%d, %d] for %d banks (at least %d per bank), got %d"
              .formatted(MIN_TRAINING_ROWS_PER_BANK * banks, MAX_ROWS, banks, MIN_TRAINING_ROWS_PER_BANK, trainingRows));
    }
    if (testRows < MIN_TEST_ROWS || testRows > MAX_ROWS) {
      throw new IllegalArgumentException(
          "testRows must be in [%d, %d], got %d".formatted(MIN_TEST_ROWS, MAX_ROWS, testRows));
    }
    if (!(testFraudRate >= MIN_TEST_FRAUD_RATE && testFraudRate <= MAX_TEST_FRAUD_RATE)) {
      throw new IllegalArgumentException(
          "testFraudRate must be in [%s, %s], got %s".formatted(MIN_TEST_FRAUD_RATE, MAX_TEST_FRAUD_RATE, testFraudRate));
    }
  }

  /** 5 banks, 150,000 training rows, 30,000 test rows at 1.5% fraud. */
  public static SyntheticConsortiumConfig defaults(long seed) {
    return new SyntheticConsortiumConfig(
        DEFAULT_BANKS, seed, DEFAULT_TRAINING_ROWS, DEFAULT_TEST_ROWS, DEFAULT_TEST_FRAUD_RATE);
  }

  public SyntheticConsortiumConfig withBanks(int newBanks) {
    return new SyntheticConsortiumConfig(newBanks, seed, trainingRows, testRows, testFraudRate);
  }

  public SyntheticConsortiumConfig withSeed(long newSeed) {
    return new SyntheticConsortiumConfig(banks, newSeed, trainingRows, testRows, testFraudRate);
  }

  public SyntheticConsortiumConfig withTrainingRows(int newTrainingRows) {
    return new SyntheticConsortiumConfig(banks, seed, newTrainingRows, testRows, testFraudRate);
  }

  public SyntheticConsortiumConfig withTestRows(int newTestRows) {
    return new SyntheticConsortiumConfig(banks, seed, trainingRows, newTestRows, testFraudRate);
  }

  public SyntheticConsortiumConfig withTestFraudRate(double newTestFraudRate) {
    return new SyntheticConsortiumConfig(banks, seed, trainingRows, testRows, newTestFraudRate);
  }
}
