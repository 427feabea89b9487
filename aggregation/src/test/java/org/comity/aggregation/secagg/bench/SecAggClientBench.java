package org.comity.aggregation.secagg.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.comity.aggregation.secagg.RoundHarness;
import org.comity.aggregation.secagg.client.ClientTransition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * One bank's masking step: on the coordinator's share delivery it decrypts its neighbours' shares
 * (AES-GCM), adds its self mask and one pairwise mask per neighbour (X25519 + HKDF + ChaCha20
 * expansion of {@code length + 2} words each) to its encoded update, and packs the masked input.
 * Scenarios as in {@link SecAggServerBench} (50 banks derived: 12 neighbours; complete: 49).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class SecAggClientBench {
  @Param({"50/0/derived", "50/0/complete"})
  public String scenario;

  @Param({"100000"})
  public int length;

  private RecordedRound round;
  private final CpuTime cpu = new CpuTime();
  private final SecureRandom random = RoundHarness.seeded(7);

  @Setup(Level.Trial)
  public void record() {
    String[] s = scenario.split("/");
    round = new RecordedRound(Integer.parseInt(s[0]), length, Integer.parseInt(s[1]), s[2], 42);
    System.out.printf("%n[setup] %s: neighbours=%d threshold=%d pairwise masks of the measured bank=%d%n", scenario,
        round.config.parameters().neighbours(), round.config.threshold(), round.bankNeighboursDelivered);
  }

  @Benchmark
  public ClientTransition mask() {
    long start = cpu.start();
    ClientTransition t = round.bankAwaitingShareDelivery.onMessage(round.shareDelivery, random);
    cpu.stop(start);
    return t;
  }

  @TearDown(Level.Iteration)
  public void endIteration(IterationParams params) {
    cpu.endIteration(params);
  }

  @TearDown(Level.Trial)
  public void endTrial() {
    cpu.endTrial("mask " + scenario);
  }
}
