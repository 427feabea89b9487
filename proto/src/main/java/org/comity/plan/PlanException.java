package org.comity.plan;

import java.util.List;

/**
 * A plan that cannot be used. The message lists every problem found, each naming the key, the value and what
 * is wrong, so the operator can fix the file in one pass.
 */
public final class PlanException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public PlanException(String source, List<String> problems) {
    super("invalid federation plan " + source + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem as one line. */
  public List<String> problems() {
    return problems;
  }
}
