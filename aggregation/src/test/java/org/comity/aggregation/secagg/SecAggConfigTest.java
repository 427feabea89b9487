package org.comity.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecAggConfigTest {

  @Test
  void members_areSortedAndMappedToOneBasedXCoordinates() {
    SecAggConfig c = new SecAggConfig(1, List.of("c", "a", "b"), new SecAggParameters(2, 2), 4, 1.0, 10);
    assertEquals(List.of("a", "b", "c"), c.members());
    assertEquals(1, c.xCoordinate("a"));
    assertEquals(3, c.xCoordinate("c"));
    assertEquals(6, c.encodedLength());
  }

  @Test
  void invalidConfigs_refusedWithReason() {
    SecAggParameters p = new SecAggParameters(2, 2);
    assertThrows(IllegalArgumentException.class, () -> new SecAggConfig(1, List.of("a", "b"), p, 4, 1, 10));
    assertThrows(IllegalArgumentException.class, () -> new SecAggConfig(1, List.of("a", "a", "b"), p, 4, 1, 10));
    assertThrows(IllegalArgumentException.class, () -> new SecAggConfig(1, List.of("a", "b", ""), p, 4, 1, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new SecAggConfig(1, List.of("a", "b", "c", "d", "e"), new SecAggParameters(3, 2), 4, 1, 10));
    assertThrows(IllegalArgumentException.class,
        () -> new SecAggConfig(1, List.of("a", "b", "c"), new SecAggParameters(3, 2), 4, 1, 10));
    assertThrows(IllegalArgumentException.class, () -> new SecAggConfig(1, List.of("a", "b", "c"), p, 0, 1, 10));
    assertThrows(IllegalArgumentException.class, () -> new SecAggConfig(1, List.of("a", "b", "c"), p, 4, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new SecAggConfig(1, List.of("a", "b", "c"), p, 4, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new SecAggParameters(4, 6));
    assertThrows(IllegalArgumentException.class, () -> new SecAggParameters(4, 1));
  }
}
