package org.comity.aggregation.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class MaskGeneratorTest {

  @Test
  void mask_isChaCha20Keystream_rfc8439AppendixA1Vector1() {
    // key = 0, nonce = 0, counter = 0: keystream starts 76 b8 e0 ad a0 f1 3d 90 ...
    int[] mask = MaskGenerator.mask(SecretBytes.copyOf(new byte[32]), 4);
    assertEquals(0xade0b876, mask[0]);
    assertEquals(0x903df1a0, mask[1]);
    assertEquals(0xe56a5d40, mask[2]);
    assertEquals(0x28bd8653, mask[3]);
  }

  @Test
  void addMask_thenSubtract_restoresInput_acrossChunkBoundaries() {
    SecureRandom random = new SecureRandom();
    SecretBytes seed = SecretBytes.random(32, random);
    int[] input = new int[10_001];
    for (int i = 0; i < input.length; i++) {
      input[i] = random.nextInt();
    }
    int[] work = input.clone();
    MaskGenerator.addMask(work, seed, 1);
    MaskGenerator.addMask(work, seed, -1);
    assertArrayEquals(input, work);
    int[] whole = MaskGenerator.mask(seed, 10_001);
    int[] prefix = MaskGenerator.mask(seed, 5000);
    assertArrayEquals(prefix, java.util.Arrays.copyOf(whole, 5000));
  }
}
