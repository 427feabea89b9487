package org.comity.aggregation.secagg.bench;

import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.comity.aggregation.crypto.MaskGenerator;
import org.comity.aggregation.crypto.SecretBytes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The physical limit of SecAgg+: expanding a 32-byte seed into one mask of {@code words} 32-bit words
 * ({@code 4 * words} bytes; 100,002 words = one masked input of a 100K-parameter update). Every op
 * produces {@code 4 * words} bytes of keystream, so GB/s = ops/s * 4 * words / 1e9 (the
 * documentation does this arithmetic).
 *
 * <ul>
 *   <li>{@link #maskGeneratorChaCha20}: what the protocol runs: {@link MaskGenerator#addMask} (JDK
 *       ChaCha20 keystream in 16 KB chunks, little-endian words added into the accumulator);
 *   <li>{@link #jdkChaCha20Keystream}: JDK ChaCha20 keystream alone, no word conversion (same 16 KB
 *       chunks as the generator: one 400 KB call is slower, its buffers leave the L2 cache);
 *   <li>{@link #bouncyCastleChaCha20Keystream}: Bouncy Castle's pure-Java ChaCha7539 engine;
 *   <li>{@link #jdkAes256CtrKeystream}: JDK AES-256-CTR keystream alone (AES-NI intrinsics);
 *   <li>{@link #aes256CtrAddMask}: the same chunked add-into-accumulator loop as the generator, with
 *       AES-256-CTR as the keystream: what an AES-based generator would cost (the protocol's
 *       generator is ChaCha20 only; this is a what-if, not a protocol path).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MaskGeneratorBench {
  private static final int CHUNK_WORDS = 4096;

  @Param({"100002"})
  public int words;

  private SecretBytes seed;
  private byte[] key;
  private int[] accumulator;
  private byte[] zeros;
  private byte[] chunkZeros;
  private byte[] chunk;

  @Setup
  public void setUp() {
    key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (31 * i + 7);
    }
    seed = SecretBytes.copyOf(key);
    accumulator = new int[words];
    zeros = new byte[4 * words];
    chunkZeros = new byte[CHUNK_WORDS * 4];
    chunk = new byte[CHUNK_WORDS * 4];
  }

  @Benchmark
  public int[] maskGeneratorChaCha20() {
    MaskGenerator.addMask(accumulator, seed, 1);
    return accumulator;
  }

  @Benchmark
  public byte[] jdkChaCha20Keystream() throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("ChaCha20");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new ChaCha20ParameterSpec(new byte[12], 0));
    for (int offset = 0; offset < zeros.length; offset += chunk.length) {
      cipher.update(zeros, offset, Math.min(chunk.length, zeros.length - offset), chunk, 0);
    }
    return chunk;
  }

  @Benchmark
  public byte[] bouncyCastleChaCha20Keystream() {
    ChaCha7539Engine engine = new ChaCha7539Engine();
    engine.init(true, new ParametersWithIV(new KeyParameter(key), new byte[12]));
    for (int offset = 0; offset < zeros.length; offset += chunk.length) {
      engine.processBytes(zeros, offset, Math.min(chunk.length, zeros.length - offset), chunk, 0);
    }
    return chunk;
  }

  @Benchmark
  public byte[] jdkAes256CtrKeystream() throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
    for (int offset = 0; offset < zeros.length; offset += chunk.length) {
      cipher.update(zeros, offset, Math.min(chunk.length, zeros.length - offset), chunk, 0);
    }
    return chunk;
  }

  @Benchmark
  public int[] aes256CtrAddMask() throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
    for (int offset = 0; offset < accumulator.length; offset += CHUNK_WORDS) {
      int n = Math.min(CHUNK_WORDS, accumulator.length - offset);
      cipher.update(chunkZeros, 0, n * 4, chunk, 0);
      for (int w = 0; w < n; w++) {
        int b = w * 4;
        accumulator[offset + w] += (chunk[b] & 0xff) | (chunk[b + 1] & 0xff) << 8 | (chunk[b + 2] & 0xff) << 16
            | (chunk[b + 3] & 0xff) << 24;
      }
    }
    return accumulator;
  }
}
