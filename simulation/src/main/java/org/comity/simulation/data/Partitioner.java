package org.comity.simulation.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits a real labelled table across N virtual banks according to a {@link PartitionSpec}, reproducibly from a seed.
 *
 * <p>Guarantees, for every spec:
 *
 * <ul>
 *   <li>every input row goes to exactly one bank (the banks' row counts sum to the input's);
 *   <li>every bank holds at least {@code minRowsPerBank} rows;
 *   <li>every bank holds at least one example of each class, and at least two of each class whenever that class has
 *       at least {@code 2 * banks} rows. The bank agent rejects a training file holding a single class, so a
 *       partition that cannot give every bank both classes is refused with an error rather than produced;
 *   <li>the same table, bank count, spec and seed give the same partition.
 * </ul>
 *
 * <p><b>Repair, not redraw.</b> The Dirichlet draw is taken once; if it leaves a bank below a minimum, single rows are
 * moved to it from the bank holding the most of the needed class (or, for the row minimum, the most rows), one at a
 * time, never taking a donor below its own minimums. Redrawing until a draw happens to satisfy the minimums would,
 * for small alphas, loop for a long time and bias the distribution anyway; moving a handful of rows keeps the skew
 * the researcher asked for and changes only what the minimums force.
 */
public final class Partitioner {
  /** Minimum rows per bank when none is given. */
  public static final int DEFAULT_MIN_ROWS_PER_BANK = 10;

  private static final int CLASSES = 2;

  private Partitioner() {}

  /** {@link #partition(LabeledTable, int, PartitionSpec, long, int)} with {@value #DEFAULT_MIN_ROWS_PER_BANK} rows per bank at least. */
  public static List<LabeledTable> partition(LabeledTable table, int banks, PartitionSpec spec, long seed) {
    return partition(table, banks, spec, seed, Math.min(DEFAULT_MIN_ROWS_PER_BANK, Math.max(1, table.rows() / Math.max(1, banks))));
  }

  /**
   * Partitions {@code table} into {@code banks} tables (bank 0 first); rows within a bank are in a seeded random order.
   *
   * @throws IllegalArgumentException if {@code banks < 1}, there are more banks than rows, {@code minRowsPerBank}
   *     is below 1 or cannot be met, or a class has fewer rows than there are banks
   */
  public static List<LabeledTable> partition(
      LabeledTable table, int banks, PartitionSpec spec, long seed, int minRowsPerBank) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(spec, "spec");
    if (banks < 1) {
      throw new IllegalArgumentException("banks must be >= 1, got " + banks);
    }
    if (banks > table.rows()) {
      throw new IllegalArgumentException(
          "cannot split %d rows across %d banks: need at least one row per bank".formatted(table.rows(), banks));
    }
    if (minRowsPerBank < 1) {
      throw new IllegalArgumentException("minRowsPerBank must be >= 1, got " + minRowsPerBank);
    }
    if ((long) minRowsPerBank * banks > table.rows()) {
      throw new IllegalArgumentException(
          "cannot give each of %d banks %d rows: the table has only %d rows (need minRowsPerBank <= %d)"
              .formatted(banks, minRowsPerBank, table.rows(), table.rows() / banks));
    }
    int[][] classRows = rowsByClass(table);
    for (int k = 0; k < CLASSES; k++) {
      if (classRows[k].length < banks) {
        throw new IllegalArgumentException(
            ("class %d has only %d rows, fewer than the %d banks: some bank would hold a single class, which the bank"
                    + " agent rejects; use fewer banks").formatted(k, classRows[k].length, banks));
      }
    }
    RandomDraws random = new RandomDraws(seed);
    for (int[] rows : classRows) {
      random.shuffle(rows);
    }
    int[][] counts = initialCounts(classRows, banks, spec, random);
    int[] minPerClass = new int[CLASSES];
    for (int k = 0; k < CLASSES; k++) {
      minPerClass[k] = classRows[k].length >= 2 * banks ? 2 : 1;
    }
    ensureClassMinimums(counts, minPerClass);
    ensureRowMinimum(counts, minPerClass, minRowsPerBank);

    List<LabeledTable> result = new ArrayList<>(banks);
    int[] nextOfClass = new int[CLASSES];
    for (int b = 0; b < banks; b++) {
      int[] bankRows = new int[counts[b][0] + counts[b][1]];
      int filled = 0;
      for (int k = 0; k < CLASSES; k++) {
        System.arraycopy(classRows[k], nextOfClass[k], bankRows, filled, counts[b][k]);
        nextOfClass[k] += counts[b][k];
        filled += counts[b][k];
      }
      random.shuffle(bankRows);
      result.add(table.selectRows(bankRows));
    }
    return result;
  }

  private static int[][] rowsByClass(LabeledTable table) {
    int positives = table.positives();
    int[][] rows = {new int[table.rows() - positives], new int[positives]};
    int[] filled = new int[CLASSES];
    for (int r = 0; r < table.rows(); r++) {
      int k = (int) table.label(r);
      rows[k][filled[k]++] = r;
    }
    return rows;
  }

  /** counts[bank][class] as the spec draws them, before minimums are enforced. */
  private static int[][] initialCounts(int[][] classRows, int banks, PartitionSpec spec, RandomDraws random) {
    int[][] counts = new int[banks][CLASSES];
    double[] equal = new double[banks];
    java.util.Arrays.fill(equal, 1.0);
    double[] sizeShares = spec.kind() == PartitionSpec.Kind.SIZE_DIRICHLET ? random.dirichlet(banks, spec.alpha()) : equal;
    for (int k = 0; k < CLASSES; k++) {
      double[] shares = spec.kind() == PartitionSpec.Kind.LABEL_DIRICHLET ? random.dirichlet(banks, spec.alpha()) : sizeShares;
      int[] parts = RandomDraws.apportion(classRows[k].length, shares);
      if (spec.kind() == PartitionSpec.Kind.IID && k == 1) {
        // Equal shares hand the leftover rows to the first banks; give the other class's leftovers to the last
        // banks so that bank sizes differ by at most one.
        reverse(parts);
      }
      for (int b = 0; b < banks; b++) {
        counts[b][k] = parts[b];
      }
    }
    return counts;
  }

  private static void reverse(int[] values) {
    for (int i = 0, j = values.length - 1; i < j; i++, j--) {
      int tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
  }

  private static void ensureClassMinimums(int[][] counts, int[] minPerClass) {
    for (int k = 0; k < CLASSES; k++) {
      for (int[] bank : counts) {
        while (bank[k] < minPerClass[k]) {
          int donor = -1;
          for (int d = 0; d < counts.length; d++) {
            if (counts[d][k] > minPerClass[k] && (donor < 0 || counts[d][k] > counts[donor][k])) {
              donor = d;
            }
          }
          // A donor exists: the class has >= banks * minPerClass rows and this bank is below the minimum.
          counts[donor][k]--;
          bank[k]++;
        }
      }
    }
  }

  private static void ensureRowMinimum(int[][] counts, int[] minPerClass, int minRowsPerBank) {
    for (int[] bank : counts) {
      while (bank[0] + bank[1] < minRowsPerBank) {
        int donor = -1;
        int donorClass = -1;
        for (int d = 0; d < counts.length; d++) {
          int total = counts[d][0] + counts[d][1];
          if (total <= minRowsPerBank) {
            continue;
          }
          int k = counts[d][0] - minPerClass[0] >= counts[d][1] - minPerClass[1] ? 0 : 1;
          if (counts[d][k] > minPerClass[k] && (donor < 0 || total > counts[donor][0] + counts[donor][1])) {
            donor = d;
            donorClass = k;
          }
        }
        if (donor < 0) {
          throw new IllegalArgumentException(
              "cannot give every bank %d rows while keeping both classes in each; lower minRowsPerBank"
                  .formatted(minRowsPerBank));
        }
        counts[donor][donorClass]--;
        bank[donorClass]++;
      }
    }
  }
}
