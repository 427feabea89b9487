package org.comity.coordinator.cli;

import java.time.Duration;
import org.comity.plan.DurationText;

/** Parses command-line durations such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
final class Durations {
  private Durations() {}

  static Duration parse(String option, String text) throws ExitCodes.BadInputException {
    Duration parsed = DurationText.parse(text).orElseThrow(() -> new ExitCodes.BadInputException(
        "%s: '%s' is not a duration; use e.g. 500ms, 10s, 5m, 1h".formatted(option, text)));
    if (parsed.isNegative() || parsed.isZero()) {
      throw new ExitCodes.BadInputException("%s must be positive, got '%s'".formatted(option, text));
    }
    return parsed;
  }
}
