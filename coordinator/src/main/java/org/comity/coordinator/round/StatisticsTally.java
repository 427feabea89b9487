package org.comity.coordinator.round;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.comity.aggregation.normalization.FeatureMoments;
import org.comity.aggregation.normalization.Normalization;
import org.comity.proto.v1.StatsResult;

/**
 * The statistics round's running sums: per-column moments, rows and positives of the banks that reported. Each
 * report is checked whole before any of it is added, so a refused report changes nothing.
 */
final class StatisticsTally {
  private final List<FeatureMoments> columns;
  private long rows;
  private long positives;

  StatisticsTally(int width) {
    this.columns = new ArrayList<>(Collections.nCopies(width, FeatureMoments.EMPTY));
  }

  /** Adds one bank's report. */
  void add(StatsResult stats) throws ResultRejectedException {
    int width = columns.size();
    if (stats.getFeaturesCount() != width) {
      throw invalid("wrong_length", "statistics have %d columns, the plan has %d model inputs"
          .formatted(stats.getFeaturesCount(), width));
    }
    if (stats.getRows() == 0 || stats.getPositives() > stats.getRows()) {
      throw invalid("bad_counts", "statistics report %d rows and %d positives"
          .formatted(stats.getRows(), stats.getPositives()));
    }
    List<FeatureMoments> reported = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      var m = stats.getFeatures(i);
      if (m.getCount() > stats.getRows()) {
        throw invalid("bad_counts", "column %d reports %d values in %d rows".formatted(i, m.getCount(), stats.getRows()));
      }
      try {
        reported.add(new FeatureMoments(m.getCount(), m.getSum(), m.getSumOfSquares()));
      } catch (IllegalArgumentException e) {
        throw invalid("bad_moments", "column %d: %s".formatted(i, e.getMessage()));
      }
    }
    for (int i = 0; i < width; i++) {
      columns.set(i, columns.get(i).plus(reported.get(i)));
    }
    rows += stats.getRows();
    positives += stats.getPositives();
  }

  long rows() {
    return rows;
  }

  /** The global normalisation of everything added. */
  Normalization normalization() {
    return Normalization.fromMoments(columns, rows, positives);
  }

  private static ResultRejectedException invalid(String code, String message) {
    return new ResultRejectedException(ResultRejectedException.Kind.INVALID_ARGUMENT, code, message);
  }
}
