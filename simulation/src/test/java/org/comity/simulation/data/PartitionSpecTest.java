package org.comity.simulation.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartitionSpecTest {

  @Test
  void parse_acceptsTheThreeForms() {
    assertEquals(PartitionSpec.iid(), PartitionSpec.parse("iid"));
    assertEquals(PartitionSpec.labelDirichlet(0.5), PartitionSpec.parse(" Dirichlet:0.5 "));
    assertEquals(PartitionSpec.sizeDirichlet(2), PartitionSpec.parse("size:2"));
  }

  @Test
  void toString_roundTripsThroughParse() {
    for (String text : new String[] {"iid", "dirichlet:0.1", "size:10.0"}) {
      PartitionSpec spec = PartitionSpec.parse(text);
      assertEquals(spec, PartitionSpec.parse(spec.toString()));
    }
  }

  private static String error(String text) {
    return assertThrows(IllegalArgumentException.class, () -> PartitionSpec.parse(text)).getMessage();
  }

  @Test
  void parse_negativeAlpha_saysAlphaMustBePositive() {
    assertEquals("partition 'dirichlet:-1': alpha must be a finite number > 0, got -1", error("dirichlet:-1"));
  }

  @Test
  void parse_unknownFamily_listsAcceptedForms() {
    assertEquals("unknown partition 'foo': expected iid, dirichlet:ALPHA or size:ALPHA", error("foo"));
  }

  @Test
  void parse_missingOrBadAlpha_rejected() {
    assertTrue(error("size").contains("needs an alpha"));
    assertTrue(error("dirichlet:abc").contains("alpha 'abc' is not a number"));
    assertTrue(error("size:0").contains("alpha must be a finite number > 0"));
    assertTrue(error("size:NaN").contains("alpha must be a finite number > 0"));
    assertTrue(error("dirichlet:Infinity").contains("alpha must be a finite number > 0"));
  }
}
