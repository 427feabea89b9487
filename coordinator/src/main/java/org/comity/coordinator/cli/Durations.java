package org.comity.coordinator.cli;

import java.time.Duration;
import java.util.Locale;

/** Parses command-line durations such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}. */
final class Durations {
  private Durations() {}

  static Duration parse(String option, String text) throws ExitCodes.BadInputException {
    String lower = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration parsed;
      if (lower.endsWith("ms")) {
        parsed = Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2)));
      } else if (lower.endsWith("s")) {
        parsed = Duration.ofSeconds(Long.parseLong(lower.substring(0, lower.length() - 1)));
      } else if (lower.endsWith("m")) {
        parsed = Duration.ofMinutes(Long.parseLong(lower.substring(0, lower.length() - 1)));
      } else if (lower.endsWith("h")) {
        parsed = Duration.ofHours(Long.parseLong(lower.substring(0, lower.length() - 1)));
      } else {
        throw new NumberFormatException();
      }
      if (parsed.isNegative() || parsed.isZero()) {
        throw new ExitCodes.BadInputException("%s must be positive, got '%s'".formatted(option, text));
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ExitCodes.BadInputException("%s: '%s' is not a duration; use e.g. 500ms, 10s, 5m, 1h".formatted(option, text));
    }
  }
}
