package org.comity.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DurationTextTest {
  @Test
  void everySpelling_parses() {
    assertEquals(Optional.of(Duration.ofMillis(500)), DurationText.parse("500ms"));
    assertEquals(Optional.of(Duration.ofSeconds(90)), DurationText.parse(" 90s "));
    assertEquals(Optional.of(Duration.ofMinutes(5)), DurationText.parse("5M"));
    assertEquals(Optional.of(Duration.ofHours(1)), DurationText.parse("1h"));
    assertEquals(Optional.of(Duration.ofSeconds(90)), DurationText.parse("PT90S"));
  }

  @Test
  void nonDurations_areEmpty() {
    for (String text : new String[] {"", "soon", "10", "s", "10d", "PTx", null}) {
      assertTrue(DurationText.parse(text).isEmpty(), String.valueOf(text));
    }
  }
}
