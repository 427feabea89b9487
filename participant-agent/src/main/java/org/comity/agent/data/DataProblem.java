package org.comity.agent.data;

import java.util.List;

/**
 * One kind of problem in a data file, aggregated: where (column), what, how many times, and the first lines.
 *
 * @param column the column concerned, or {@code null} for whole-file problems
 * @param kind short stable name, e.g. {@code non_numeric}
 * @param count how many cells or rows have it
 * @param firstLines up to five 1-based file line numbers where it occurs (the header is line 1)
 * @param detail what is wrong and what is allowed
 */
public record DataProblem(String column, String kind, long count, List<Long> firstLines, String detail) {
  public DataProblem {
    firstLines = List.copyOf(firstLines);
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
        text.append("; line").append(firstLines.size() > 1 ? "s " : " ");
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
