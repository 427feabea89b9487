package org.comity.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelLayoutTest {
  @Test
  void defaultNetworkOn30Inputs_has14337Parameters() {
    assertEquals(14_337, new ModelLayout(30, List.of(128, 64, 32)).parameterCount());
  }

  @Test
  void layers_areKernelRowMajorThenBias_inOrder() {
    List<ModelLayout.Layer> layers = new ModelLayout(3, List.of(2)).layers();
    assertEquals(new ModelLayout.Layer(3, 2, 0, 6), layers.get(0));
    assertEquals(new ModelLayout.Layer(2, 1, 8, 10), layers.get(1));
  }

  @Test
  void initialWeights_areSeededSymmetricGlorotWithZeroBiases() {
    ModelLayout layout = new ModelLayout(30, List.of(128, 64, 32));
    float[] a = layout.initialWeights(5);
    assertArrayEquals(a, layout.initialWeights(5));
    float[] b = layout.initialWeights(6);
    assertTrue(a[0] != b[0]);
    ModelLayout.Layer first = layout.layers().get(0);
    double limit = Math.sqrt(6.0 / (30 + 128));
    int negatives = 0;
    for (int i = 0; i < 30 * 128; i++) {
      float w = a[first.kernelOffset() + i];
      assertTrue(Math.abs(w) <= limit, "inside [-limit, limit]");
      negatives += w < 0 ? 1 : 0;
    }
    assertTrue(negatives > 30 * 128 * 0.4 && negatives < 30 * 128 * 0.6, "symmetric: about half negative");
    for (int i = 0; i < 128; i++) {
      assertEquals(0f, a[first.biasOffset() + i]);
    }
  }

  @Test
  void invalidShapes_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ModelLayout(0, List.of(4)));
    assertThrows(IllegalArgumentException.class, () -> new ModelLayout(3, List.of(4, 0)));
  }
}
