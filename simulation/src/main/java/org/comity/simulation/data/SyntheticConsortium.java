package org.comity.simulation.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A synthetic fraud consortium: per-bank training tables that differ in size, fraud rate, customer population and
 * fraud patterns (non-IID), and one shared test table drawn from the consortium-wide mix with every pattern.
 *
 * <p>How it is built (details and calibration in {@code docs/SYNTHETIC_DATA.md}):
 *
 * <ul>
 *   <li>bank sizes: shares {@code 0.3/N + 0.7 * w_i / sum(w)} with {@code w_i = exp(0.6 z_i)}, {@code z_i ~ N(0,1)};
 *   <li>fraud rates: spread log-uniformly from {@value #MIN_FRAUD_RATE} to {@value #MAX_FRAUD_RATE} over the banks
 *       in a seeded order ({@code ceil(rate * rows)}, at least one fraud row per pattern the bank sees);
 *   <li>patterns: {@link #patternsSeenBy(int, int)} by fraud-rate rank, so that no bank sees every pattern and
 *       together they see all;
 *   <li>rows: simulated customers' histories, features computed from each history (see {@link #featureNames()}).
 * </ul>
 *
 * <p>Every table is a function of the config alone: the same config gives equal tables and byte-identical CSVs.
 *
 * @param config the settings it was generated from
 * @param banks the banks, {@code bank-01} first
 * @param test the shared test table
 * @param testFraudRowsByPattern how many of the test table's fraud rows each pattern contributed
 */
public record SyntheticConsortium(
    SyntheticConsortiumConfig config, List<SyntheticBank> banks, LabeledTable test,
    Map<FraudPattern, Integer> testFraudRowsByPattern) {
  /** Lowest bank fraud rate (0.05%). */
  public static final double MIN_FRAUD_RATE = 0.0005;
  /** Highest bank fraud rate (2%). */
  public static final double MAX_FRAUD_RATE = 0.02;
  /** File name of the test table written by {@link #writeCsvFiles(Path)}. */
  public static final String TEST_FILE = "test.csv";

  /** How many of the five fraud patterns each bank sees. */
  public static final int PATTERNS_PER_BANK = 3;

  private static final long PLAN_STREAM = 0;
  private static final long TEST_STREAM = 1_000_000;

  public SyntheticConsortium {
    Objects.requireNonNull(config, "config");
    banks = List.copyOf(banks);
    Objects.requireNonNull(test, "test");
    testFraudRowsByPattern = java.util.Collections.unmodifiableMap(new EnumMap<>(testFraudRowsByPattern));
  }

  /** Column names of every table, in order (the label is separate). */
  public static List<String> featureNames() {
    return TransactionFeatures.NAMES;
  }

  /** Generates the consortium described by {@code config}; deterministic in it. */
  public static SyntheticConsortium generate(SyntheticConsortiumConfig config) {
    Objects.requireNonNull(config, "config");
    int n = config.banks();
    RandomDraws plan = new RandomDraws(RandomDraws.streamSeed(config.seed(), PLAN_STREAM));
    int[] rows = bankSizes(config, plan);
    double[] rates = fraudRates(n, plan);
    List<PopulationStyle> styles = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      styles.add(PopulationStyle.draw(plan));
    }

    int[] rateRank = rankByRateDescending(rates);
    List<SyntheticBank> banks = new ArrayList<>();
    double[] weights = new double[n];
    for (int b = 0; b < n; b++) {
      // ceil, not round, so that the lowest rate never falls below MIN_FRAUD_RATE; at least one fraud row per pattern.
      int fraudRows = (int) Math.max(PATTERNS_PER_BANK, Math.min(Math.ceil(rates[b] * rows[b] - 1e-9), Math.floor(MAX_FRAUD_RATE * rows[b])));
      List<FraudPattern> patterns = patternsSeenBy(rateRank[b], n);
      TableSimulator.Result result = new TableSimulator(RandomDraws.streamSeed(config.seed(), 1 + b))
          .simulate(List.of(styles.get(b)), new double[] {1}, rows[b], fraudRows, patterns);
      BankProfile profile = new BankProfile(bankId(b), rows[b], fraudRows, patterns, result.fraudRowsByPattern());
      banks.add(new SyntheticBank(profile, result.table()));
      weights[b] = rows[b];
    }
    int testFraudRows = (int) Math.max(FraudPattern.values().length, Math.round(config.testFraudRate() * config.testRows()));
    TableSimulator.Result test = new TableSimulator(RandomDraws.streamSeed(config.seed(), TEST_STREAM))
        .simulate(styles, weights, config.testRows(), testFraudRows, List.of(FraudPattern.values()));
    return new SyntheticConsortium(config, banks, test.table(), test.fraudRowsByPattern());
  }

  /**
   * The patterns seen by the bank of fraud-rate rank {@code bank} (0 = the highest fraud rate) among {@code banks}:
   * three consecutive patterns (in enum order, wrapping) starting at pattern {@code (3 * bank) mod 5}. So no bank
   * sees every pattern, the two banks with the most fraud already see all five between them (no pattern is left to
   * the low-rate banks only), and with 5 banks each pattern is seen by exactly three banks. Three rather than two
   * keeps FedAvg close to centralized training (see {@code docs/SYNTHETIC_DATA.md}).
   */
  public static List<FraudPattern> patternsSeenBy(int bank, int banks) {
    if (banks < SyntheticConsortiumConfig.MIN_BANKS || bank < 0 || bank >= banks) {
      throw new IllegalArgumentException(
          "need banks >= %d and 0 <= bank < banks, got bank %d of %d".formatted(SyntheticConsortiumConfig.MIN_BANKS, bank, banks));
    }
    FraudPattern[] all = FraudPattern.values();
    int perBank = PATTERNS_PER_BANK;
    List<FraudPattern> seen = new ArrayList<>();
    for (int j = 0; j < perBank; j++) {
      seen.add(all[(perBank * bank + j) % all.length]);
    }
    seen.sort(null);
    return List.copyOf(seen);
  }

  /**
   * Writes {@code bank-01.csv} ... (one per bank) and {@value #TEST_FILE} into {@code directory} (created if
   * needed), each with the label in a last column named {@code label}.
   */
  public void writeCsvFiles(Path directory) throws IOException {
    Files.createDirectories(directory);
    for (SyntheticBank bank : banks) {
      CsvTables.write(bank.training(), directory.resolve(bank.profile().bankId() + ".csv"));
    }
    CsvTables.write(test, directory.resolve(TEST_FILE));
  }

  /** Shapes, fraud counts and patterns only: never data. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("SyntheticConsortium[").append(config).append('\n');
    for (SyntheticBank bank : banks) {
      BankProfile p = bank.profile();
      text.append("  %s rows=%d fraud=%d (%.3f%%) patterns=%s%n"
          .formatted(p.bankId(), p.rows(), p.fraudRows(), 100 * p.fraudRate(), p.fraudRowsByPattern()));
    }
    text.append("  test rows=%d fraud=%d (%.3f%%) patterns=%s]"
        .formatted(test.rows(), test.positives(), 100 * test.positiveRate(), testFraudRowsByPattern));
    return text.toString();
  }

  /** rank[b] = 0 for the bank with the highest fraud rate, 1 for the next, ... */
  private static int[] rankByRateDescending(double[] rates) {
    Integer[] byRate = new Integer[rates.length];
    Arrays.setAll(byRate, i -> i);
    Arrays.sort(byRate, (x, y) -> Double.compare(rates[y], rates[x]));
    int[] rank = new int[rates.length];
    for (int r = 0; r < rates.length; r++) {
      rank[byRate[r]] = r;
    }
    return rank;
  }

  private static String bankId(int bank) {
    return "bank-%02d".formatted(bank + 1);
  }

  private static int[] bankSizes(SyntheticConsortiumConfig config, RandomDraws plan) {
    int n = config.banks();
    double[] weights = new double[n];
    double sum = 0;
    for (int b = 0; b < n; b++) {
      weights[b] = Math.exp(0.6 * plan.gaussian());
      sum += weights[b];
    }
    double[] shares = new double[n];
    for (int b = 0; b < n; b++) {
      shares[b] = 0.3 / n + 0.7 * weights[b] / sum;
    }
    return RandomDraws.apportion(config.trainingRows(), shares);
  }

  private static double[] fraudRates(int banks, RandomDraws plan) {
    int[] order = new int[banks];
    Arrays.setAll(order, i -> i);
    plan.shuffle(order);
    double[] rates = new double[banks];
    for (int b = 0; b < banks; b++) {
      double q = (double) order[b] / (banks - 1);
      rates[b] = MIN_FRAUD_RATE * Math.pow(MAX_FRAUD_RATE / MIN_FRAUD_RATE, q);
    }
    return rates;
  }
}
