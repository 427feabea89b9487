package org.comity.agent.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.comity.plan.FederationPlan;
import org.comity.plan.FeatureSpec;
import org.comity.plan.FeatureType;

/**
 * Checks rows of text cells against the plan's schema and encodes the valid ones as model inputs. Used for every
 * source (CSV files, database queries), so a bank's data is judged by one rule wherever it comes from.
 *
 * <p>Usage: {@link #header(List)} once, {@link #row(long, List)} per row, then {@link #finish(String)}.
 * Problems are aggregated per column and kind with their count and first positions, so a million bad cells make
 * one readable line, not a million. A position is a file line for CSV (the header is line 1) and a 1-based result
 * row for a query ({@link Positions}).
 *
 * <p>Two purposes: {@link #forTraining} (the label is required and both classes must occur) and
 * {@link #forScoring} (rows to be scored: the label column may be absent, and one pass-through id column may be
 * present and is carried to the output). The features are checked by the same rule in both.
 */
public final class PlanDataValidator {
  private static final int FIRST_LINES = 5;

  /** What the positions passed to {@link #row(long, List)} are. */
  public enum Positions {
    /** 1-based file lines; the header is line 1. */
    LINE("line"),
    /** 1-based rows of a query result; the header (column names) has no position. */
    ROW("row");

    private final String word;

    Positions(String word) {
      this.word = word;
    }

    /** The word used in messages, e.g. {@code line}. */
    public String word() {
      return word;
    }
  }

  private final FederationPlan plan;
  private final int width;
  private final boolean scoring;
  private final String idColumn;
  private final Positions positions;
  private int idCellIndex = -1;
  private List<String> ids;
  private final Map<String, Problem> problems = new LinkedHashMap<>();
  private int[] featureCellIndex;
  private int labelCellIndex = -1;
  private int headerCells;
  private boolean headerOk;
  private FloatBuffer features;
  private FloatBuffer labels;
  private long rowsRead;
  private long positives;

  /** A training validator for CSV lines: the existing default. */
  public PlanDataValidator(FederationPlan plan) {
    this(plan, false, null, Positions.LINE);
  }

  private PlanDataValidator(FederationPlan plan, boolean scoring, String idColumn, Positions positions) {
    this.plan = plan;
    this.width = plan.inputWidth();
    this.scoring = scoring;
    this.idColumn = idColumn;
    this.positions = positions;
  }

  /** Checks rows to train and evaluate on: the label is required, both classes must occur. */
  public static PlanDataValidator forTraining(FederationPlan plan, Positions positions) {
    return new PlanDataValidator(plan, false, null, positions);
  }

  /**
   * Checks rows to score: the features as for training; the label column may be absent (if present it is
   * ignored); {@code idColumn}, if not null, must be present and its values are kept ({@link #ids()}). The
   * dataset's labels are placeholders (all 0), and both classes need not occur.
   *
   * @throws IllegalArgumentException if {@code idColumn} names a feature
   */
  public static PlanDataValidator forScoring(FederationPlan plan, String idColumn, Positions positions) {
    if (idColumn != null && plan.featureNames().contains(idColumn)) {
      throw new IllegalArgumentException("id column '%s' is a feature of the plan; choose a non-feature column"
          .formatted(idColumn));
    }
    return new PlanDataValidator(plan, true, idColumn, positions);
  }

  /** The id column's value of every valid row, in row order (scoring with an id column), else empty. */
  public List<String> ids() {
    return ids == null ? List.of() : Collections.unmodifiableList(ids);
  }

  private long headerPosition() {
    return positions == Positions.LINE ? 1 : -1;
  }

  /** Reads the header; problems: missing, extra or duplicate columns. */
  public void header(List<String> names) {
    headerCells = names.size();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim();
      if (index.putIfAbsent(name, i) != null) {
        add(name, "duplicate_column", 1, "the header names this column twice", -1);
      }
    }
    featureCellIndex = new int[plan.features().size()];
    for (int f = 0; f < plan.features().size(); f++) {
      String name = plan.features().get(f).name();
      Integer at = index.get(name);
      if (at == null) {
        add(name, "missing_column", 1, "the plan's feature column is missing from the header", headerPosition());
        featureCellIndex[f] = -1;
      } else {
        featureCellIndex[f] = at;
      }
    }
    Integer label = index.get(plan.label());
    if (label == null && !scoring) {
      add(plan.label(), "missing_column", 1, "the plan's label column is missing from the header", headerPosition());
    } else if (label != null && !scoring) {
      labelCellIndex = label;
    }
    if (idColumn != null) {
      Integer id = index.get(idColumn);
      if (id == null) {
        add(idColumn, "missing_column", 1, "the id column (--id-column) is missing from the header", headerPosition());
      } else {
        idCellIndex = id;
        ids = new ArrayList<>();
      }
    }
    for (String name : index.keySet()) {
      boolean known = name.equals(plan.label()) || name.equals(idColumn)
          || plan.features().stream().anyMatch(f -> f.name().equals(name));
      if (!known) {
        add(name, "extra_column", 1, "column is not in the plan; remove it from the %s or add it to the plan"
            .formatted(positions == Positions.LINE ? "export" : "query"), headerPosition());
      }
    }
    headerOk = problems.isEmpty();
    features = new FloatBuffer(1024 * Math.max(1, width));
    labels = new FloatBuffer(1024);
  }

  /** Checks and encodes one data row; {@code line} is its 1-based line in the source, for messages. */
  public void row(long line, List<String> cells) {
    rowsRead++;
    if (!headerOk) {
      return;
    }
    if (cells.size() != headerCells) {
      add(null, "ragged_row", 1, "rows must have as many cells as the header (%d)".formatted(headerCells), line);
      return;
    }
    float[] encoded = new float[width];
    int column = 0;
    boolean valid = true;
    for (int f = 0; f < plan.features().size(); f++) {
      FeatureSpec feature = plan.features().get(f);
      String cell = cells.get(featureCellIndex[f]).trim();
      valid &= encode(feature, cell, line, encoded, column);
      column += feature.inputWidth();
    }
    if (scoring) {
      if (valid) {
        features.addAll(encoded);
        labels.add(0f); // rows to score have no label; the dataset's labels are placeholders
        if (ids != null) {
          ids.add(cells.get(idCellIndex));
        }
      }
      return;
    }
    String labelCell = cells.get(labelCellIndex).trim();
    float label;
    switch (labelCell) {
      case "0", "0.0" -> label = 0f;
      case "1", "1.0" -> label = 1f;
      default -> {
        add(plan.label(), "bad_label", 1, "labels must be 0 or 1", line);
        return;
      }
    }
    if (valid) {
      features.addAll(encoded);
      labels.add(label);
      if (label == 1f) {
        positives++;
      }
    }
  }

  private boolean encode(FeatureSpec feature, String cell, long line, float[] out, int column) {
    if (cell.isEmpty()) {
      return switch (feature.missing()) {
        case REJECT -> {
          add(feature.name(), "missing_value", 1, "empty cell, and the plan says missing: reject", line);
          yield false;
        }
        case MEAN -> {
          for (int i = 0; i < feature.inputWidth(); i++) {
            out[column + i] = feature.type() == FeatureType.NUMERIC ? Float.NaN : 0f;
          }
          yield true;
        }
        case ZERO -> true;
      };
    }
    if (feature.type() == FeatureType.CATEGORICAL) {
      int category = feature.categories().indexOf(cell);
      if (category < 0) {
        add(feature.name(), "unknown_category", 1, "value is not one of the plan's categories " + feature.categories(), line);
        return false;
      }
      out[column + category] = 1f;
      return true;
    }
    double value;
    try {
      value = Double.parseDouble(cell);
    } catch (NumberFormatException e) {
      add(feature.name(), "non_numeric", 1, "value is not a number", line);
      return false;
    }
    if (!Double.isFinite(value) || !Float.isFinite((float) value)) {
      add(feature.name(), "not_finite", 1, "NaN or infinite values are not allowed (leave the cell empty for missing)", line);
      return false;
    }
    if ((feature.min() != null && value < feature.min()) || (feature.max() != null && value > feature.max())) {
      add(feature.name(), "out_of_range", 1, "value is outside the plan's range [%s, %s]"
          .formatted(feature.min() == null ? "-inf" : feature.min(), feature.max() == null ? "+inf" : feature.max()), line);
      return false;
    }
    out[column] = (float) value;
    return true;
  }

  /** Ends the check: whole-file problems (empty, one class) are added, and the dataset built if clean. */
  public DataCheckReport finish(String source) {
    if (headerCells == 0 && problems.isEmpty()) {
      // Only when nothing else went wrong: an unreadable file or a failed query is not also "empty".
      add(null, "empty_file", 1, "the source is empty: expected a header row and data rows", -1);
    } else if (headerCells > 0 && headerOk && rowsRead == 0) {
      add(null, "no_rows", 1, "the source has a header but no data rows", -1);
    } else if (headerOk && problems.isEmpty() && !scoring) {
      long rows = labels.size();
      if (positives == 0 || positives == rows) {
        add(plan.label(), "one_class", 1, "every row has label %s; training needs both classes"
            .formatted(positives == 0 ? "0" : "1"), -1);
      }
    }
    List<DataProblem> list = new ArrayList<>();
    problems.values().forEach(p -> list.add(p.toRecord(positions)));
    BankDataset dataset = list.isEmpty()
        ? new BankDataset(features.toArray(), labels.toArray(), labels.size(), width) : null;
    return new DataCheckReport(source, rowsRead, list, dataset);
  }

  /** Records a problem found outside the row checks (e.g. an unreadable file). */
  public void fileProblem(String kind, String detail, long line) {
    add(null, kind, 1, detail, line);
  }

  private void add(String column, String kind, long count, String detail, long line) {
    Problem problem = problems.computeIfAbsent(column + "\u0000" + kind, k -> new Problem(column, kind, detail));
    problem.count += count;
    if (line > 0 && problem.lines.size() < FIRST_LINES) {
      problem.lines.add(line);
    }
  }

  private static final class Problem {
    final String column;
    final String kind;
    final String detail;
    long count;
    final List<Long> lines = new ArrayList<>();

    Problem(String column, String kind, String detail) {
      this.column = column;
      this.kind = kind;
      this.detail = detail;
    }

    DataProblem toRecord(Positions positions) {
      return new DataProblem(column, kind, count, lines, detail, positions.word());
    }
  }

  /** A growable float array (rows of a large export would box into the gigabytes as a {@code List<Float>}). */
  private static final class FloatBuffer {
    private float[] data;
    private int size;

    FloatBuffer(int capacity) {
      data = new float[capacity];
    }

    void add(float value) {
      ensure(1);
      data[size++] = value;
    }

    void addAll(float[] values) {
      ensure(values.length);
      System.arraycopy(values, 0, data, size, values.length);
      size += values.length;
    }

    private void ensure(int extra) {
      if (size + extra > data.length) {
        long grown = Math.max((long) data.length * 2, (long) size + extra);
        if (grown > Integer.MAX_VALUE - 8) {
          throw new IllegalStateException("data set too large for one agent: more than 2^31 values");
        }
        data = java.util.Arrays.copyOf(data, (int) grown);
      }
    }

    int size() {
      return size;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }
}
