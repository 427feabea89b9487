package org.comity.plan;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Durations as operators write them, in plans and on command lines: {@code 500ms}, {@code 90s}, {@code 5m},
 * {@code 1h}, or ISO-8601 {@code PT90S}. One parser, so a plan and a flag accept exactly the same spellings.
 */
public final class DurationText {
  private DurationText() {}

  /** The duration {@code text} spells, or empty when it is not a duration. */
  public static Optional<Duration> parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    try {
      if (trimmed.startsWith("PT") || trimmed.startsWith("pt")) {
        return Optional.of(Duration.parse(trimmed.toUpperCase(Locale.ROOT)));
      }
      String lower = trimmed.toLowerCase(Locale.ROOT);
      if (lower.endsWith("ms")) {
        return Optional.of(Duration.ofMillis(Long.parseLong(lower.substring(0, lower.length() - 2).trim())));
      }
      long amount = Long.parseLong(lower.substring(0, lower.length() - 1).trim());
      return switch (lower.charAt(lower.length() - 1)) {
        case 's' -> Optional.of(Duration.ofSeconds(amount));
        case 'm' -> Optional.of(Duration.ofMinutes(amount));
        case 'h' -> Optional.of(Duration.ofHours(amount));
        default -> Optional.empty();
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }
}
