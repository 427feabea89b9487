package org.comity.simulation.data;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds one table (a bank's training data or the shared test set) with exactly the requested numbers of rows and
 * fraud rows: simulates customers until their legitimate payments in the output window cover the quota, plants
 * fraud episodes of the allowed patterns into randomly chosen customers (one episode per customer while customers
 * last), keeps a seeded random subset of the legitimate payments to hit the quota exactly, computes every kept
 * payment's features from its customer's full history and shuffles the rows.
 *
 * <p>Episodes are planted pattern by pattern, always for the pattern with the fewest fraud rows so far, so a
 * table's fraud rows are split about evenly across its patterns. When the last episode would overshoot the fraud
 * quota, its surplus events stay in the history (they shape later features) but do not become rows; an episode
 * also leaves one fraud row for each allowed pattern that has none yet, so with at least as many fraud rows as
 * patterns every allowed pattern contributes.
 */
final class TableSimulator {
  /** What was generated: the table and how many fraud rows each pattern contributed. */
  record Result(LabeledTable table, Map<FraudPattern, Integer> fraudRowsByPattern) {}

  private final RandomDraws random;
  private final LegitimateActivity legitimate;
  private final FraudEpisodes episodes;

  TableSimulator(long seed) {
    this.random = new RandomDraws(seed);
    this.legitimate = new LegitimateActivity(random);
    this.episodes = new FraudEpisodes(random);
  }

  /**
   * @param styles customer populations to draw from, with {@code styleWeights} as their mixing weights
   * @param patterns the patterns this table's fraud may come from (non-empty when {@code fraudRows > 0})
   */
  Result simulate(List<PopulationStyle> styles, double[] styleWeights, int rows, int fraudRows,
      List<FraudPattern> patterns) {
    int legitimateRows = rows - fraudRows;
    List<Customer> customers = new ArrayList<>();
    int available = 0;
    while (available < legitimateRows * 1.03 + 20) {
      available += addCustomer(customers, styles, styleWeights);
    }

    Map<FraudPattern, Integer> byPattern = new EnumMap<>(FraudPattern.class);
    for (FraudPattern p : patterns) {
      byPattern.put(p, 0);
    }
    int planted = 0;
    int nextVictimSearchStart = 0;
    while (planted < fraudRows) {
      FraudPattern pattern = patterns.get(0);
      for (FraudPattern p : patterns) {
        if (byPattern.get(p) < byPattern.get(pattern)) {
          pattern = p;
        }
      }
      Customer victim = pickVictim(customers, nextVictimSearchStart++);
      double start = random.uniform(LegitimateActivity.OUTPUT_START_HOURS + 1, LegitimateActivity.END_HOURS - 30);
      // Leave one fraud row for every other pattern that has none yet, so each allowed pattern is represented.
      int patternsStillEmpty = 0;
      for (FraudPattern p : patterns) {
        if (p != pattern && byPattern.get(p) == 0) {
          patternsStillEmpty++;
        }
      }
      int quota = Math.max(1, fraudRows - planted - patternsStillEmpty);
      int emittedThisEpisode = 0;
      for (TransactionEvent e : episodes.plant(victim, pattern, start)) {
        if (emittedThisEpisode < quota && planted < fraudRows && e.hours >= LegitimateActivity.OUTPUT_START_HOURS) {
          emittedThisEpisode++;
          e.emitted = true;
          planted++;
          byPattern.merge(pattern, 1, Integer::sum);
        }
      }
    }

    List<TransactionEvent> legitimateCandidates = legitimateInWindow(customers);
    while (legitimateCandidates.size() < legitimateRows) { // bust-out episodes removed some history
      addCustomer(customers, styles, styleWeights);
      legitimateCandidates = legitimateInWindow(customers);
    }
    int[] order = new int[legitimateCandidates.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    random.shuffle(order);
    for (int i = 0; i < legitimateRows; i++) {
      legitimateCandidates.get(order[i]).emitted = true;
    }

    int columns = TransactionFeatures.NAMES.size();
    float[] features = new float[rows * columns];
    float[] labels = new float[rows];
    int[] rowOrder = new int[rows];
    for (int i = 0; i < rows; i++) {
      rowOrder[i] = i;
    }
    random.shuffle(rowOrder);
    int next = 0;
    for (Customer customer : customers) {
      for (int i = 0; i < customer.history.size(); i++) {
        TransactionEvent e = customer.history.get(i);
        if (e.emitted) {
          int row = rowOrder[next++];
          TransactionFeatures.compute(customer, i, features, row * columns);
          labels[row] = e.fraud ? 1f : 0f;
        }
      }
    }
    if (next != rows) {
      throw new IllegalStateException("generated %d rows, expected %d".formatted(next, rows));
    }
    return new Result(new LabeledTable(TransactionFeatures.NAMES, features, labels, rows), byPattern);
  }

  private int addCustomer(List<Customer> customers, List<PopulationStyle> styles, double[] styleWeights) {
    PopulationStyle style = styles.get(random.weightedIndex(styleWeights));
    Customer customer = legitimate.simulate(CustomerHabits.draw(style, random));
    customers.add(customer);
    int inWindow = 0;
    for (TransactionEvent e : customer.history) {
      if (e.outgoing() && e.hours >= LegitimateActivity.OUTPUT_START_HOURS) {
        inWindow++;
      }
    }
    return inWindow;
  }

  /** A random customer without an episode yet; after {@code customers.size()} attempts, any customer. */
  private Customer pickVictim(List<Customer> customers, int attempt) {
    for (int tries = 0; tries < 20; tries++) {
      Customer candidate = customers.get(random.integer(0, customers.size() - 1));
      if (!candidate.hasFraudEpisode || attempt >= customers.size()) {
        return candidate;
      }
    }
    return customers.get(random.integer(0, customers.size() - 1));
  }

  private static List<TransactionEvent> legitimateInWindow(List<Customer> customers) {
    List<TransactionEvent> events = new ArrayList<>();
    for (Customer customer : customers) {
      for (TransactionEvent e : customer.history) {
        if (!e.fraud && e.outgoing() && e.hours >= LegitimateActivity.OUTPUT_START_HOURS) {
          events.add(e);
        }
      }
    }
    return events;
  }
}
