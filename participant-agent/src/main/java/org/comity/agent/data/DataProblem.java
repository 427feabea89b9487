package org.comity.agent.data;

import java.util.List;

/**
 * One kind of problem in a data file, aggregated: where (column), what, how many times, and the first lines.
 *
 * @param column the column concerned, or {@code null} for whole-file problems
 * @param kind short stable name, e.g. {@code non_numeric}
 * @param count how many cells or rows have it
 * @param firstLines up to five 1-based positions where it occurs: file lines for CSV (the header is line 1), result
 *     rows for a query
 * @param detail what is wrong and what is allowed
 * @param positionWord what a position is, {@code line} or {@code row}, for messages
 */
public record DataProblem(String column, String kind, long count, List<Long> firstLines, String detail,
    String positionWord) {
  public DataProblem {
    firstLines = List.copyOf(firstLines);
  }

  /** A problem located by file lines. */
  public DataProblem(String column, String kind, long count, List<Long> firstLines, String detail) {
    this(column, kind, count, firstLines, detail, "line");
  }

  /** One line for the bank's operator. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    if (column != null) {
      text.append("column '").append(column).append("': ");
    }
    text.append(detail);
    if (count > 1 || !firstLines.isEmpty()) {
      text.append(" (").append(count).append(count == 1 ? " occurrence" : " occurrences");
      if (!firstLines.isEmpty()) {
        text.append("; ").append(positionWord).append(firstLines.size() > 1 ? "s " : " ");
        text.append(String.join(", ", firstLines.stream().map(String::valueOf).toList()));
        if (count > firstLines.size()) {
          text.append(", ...");
        }
      }
      text.append(")");
    }
    return text.toString();
  }
}
