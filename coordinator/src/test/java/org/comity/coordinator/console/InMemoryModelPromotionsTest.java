package org.comity.coordinator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryModelPromotionsTest {
  private final InMemoryModelPromotions promotions = new InMemoryModelPromotions(v -> v >= 1 && v <= 5,
      Clock.systemUTC());

  @Test
  void rollback_returnsToThePreviouslyPromotedVersion_oneStepAtATime() {
    promotions.promote(2, "alice", "first");
    promotions.promote(3, "alice", "second");
    promotions.promote(5, "bob", "third");
    assertEquals(3, promotions.rollback("bob", "regressed").version());
    assertEquals(2, promotions.rollback("bob", "also regressed").version());
    assertEquals(Optional.of(2L), promotions.promotedVersion());
    assertEquals(5, promotions.history().size());
    assertThrows(ModelPromotions.NothingToRollBackException.class, () -> promotions.rollback("bob", "again"));
  }

  @Test
  void unknownVersion_isRefused_andChangesNothing() {
    promotions.promote(1, "alice", "ok");
    assertThrows(ModelPromotions.UnknownVersionException.class, () -> promotions.promote(9, "alice", "no"));
    assertEquals(Optional.of(1L), promotions.promotedVersion());
    assertEquals(1, promotions.history().size());
  }
}
