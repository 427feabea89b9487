package org.comity.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeighbourGraphTest {

  @Test
  void derive_sameSeed_sameGraph_symmetricRegularWithoutSelfLoops() {
    List<String> banks = RoundHarness.bankIds(50);
    List<String> shuffled = new ArrayList<>(banks);
    Collections.shuffle(shuffled);
    byte[] seed = new byte[32];
    seed[0] = 42;
    NeighbourGraph a = NeighbourGraph.derive(banks, 22, seed);
    NeighbourGraph b = NeighbourGraph.derive(shuffled, 22, seed);
    for (String m : banks) {
      assertEquals(a.neighboursOf(m), b.neighboursOf(m), "input order must not matter");
      assertEquals(22, a.neighboursOf(m).size());
      assertFalse(a.neighboursOf(m).contains(m));
      for (String peer : a.neighboursOf(m)) {
        assertTrue(a.areNeighbours(peer, m), "symmetric");
      }
    }
    seed[0] = 43;
    NeighbourGraph c = NeighbourGraph.derive(banks, 22, seed);
    assertNotEquals(a.neighboursOf("bank-00"), c.neighboursOf("bank-00"));
  }

  @Test
  void derive_completeGraph_andInvalidDegrees() {
    List<String> banks = RoundHarness.bankIds(5);
    NeighbourGraph g = NeighbourGraph.derive(banks, 4, new byte[32]);
    assertEquals(4, g.neighboursOf("bank-03").size());
    assertThrows(IllegalArgumentException.class, () -> NeighbourGraph.derive(banks, 3, new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> NeighbourGraph.derive(banks, 5, new byte[32]));
  }
}
