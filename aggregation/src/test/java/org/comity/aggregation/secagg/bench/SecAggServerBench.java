package org.comity.aggregation.secagg.bench;

import java.util.concurrent.TimeUnit;
import org.comity.aggregation.secagg.server.AggregateResult;
import org.comity.aggregation.secagg.server.ServerCompleted;
import org.comity.aggregation.secagg.server.ServerTransition;
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
 * Coordinator side of one SecAgg+ round, single-threaded (the round engine serialises calls).
 *
 * <p>Scenario {@code banks/dropouts/graph}: graph {@code derived} is {@code SecAggParameters.derive(banks,
 * 0.1, 0.1, SEMI_HONEST_SERVER)} (50 banks: k = 12, t = 6; 500 banks: k = 42, t = 24); {@code
 * complete} is classic SecAgg, k = banks - 1, t = floor(0.1 banks) + 1. Dropped banks shared their
 * keys, then sent no masked input.
 *
 * <ul>
 *   <li>{@link #unmask}: the coordinator holding every message but the last unmask response receives
 *       that response, which triggers the unmask stage: reconstruct every survivor's self-mask seed
 *       and every dropped bank's masking key (Shamir), check the keys against the advertised public
 *       keys, sum the masked inputs, expand and subtract the self masks and the dropped banks'
 *       pairwise masks (X25519 + HKDF + ChaCha20), decode the sum.
 *   <li>{@link #wholeServer}: a fresh {@code SecAggServer} fed every recorded client message of the
 *       round (all four stages and the masked-input deadline): everything the coordinator computes.
 * </ul>
 *
 * Set-up (running the banks, recording their messages) happens once per trial and is not measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class SecAggServerBench {
  @Param({"50/0/derived", "50/5/derived", "500/0/derived", "500/50/derived"})
  public String scenario;

  @Param({"100000"})
  public int length;

  private RecordedRound round;
  private final CpuTime cpu = new CpuTime();

  @Setup(Level.Trial)
  public void record() {
    String[] s = scenario.split("/");
    round = new RecordedRound(Integer.parseInt(s[0]), length, Integer.parseInt(s[1]), s[2], 42);
    System.out.printf("%n[setup] %s: neighbours=%d threshold=%d dropped=%d maskedInputBytes=%d "
        + "unmaskMaskExpansions=%d%n", scenario, round.config.parameters().neighbours(), round.config.threshold(),
        round.dropped.size(), round.maskedInputBytes(), round.serverMaskExpansions);
  }

  @Benchmark
  public AggregateResult unmask() {
    long start = cpu.start();
    ServerTransition t = round.serverBeforeLastUnmaskResponse.onMessage(round.lastUnmaskResponse.sender(),
        round.lastUnmaskResponse);
    cpu.stop(start);
    return ((ServerCompleted) t.next()).result();
  }

  @Benchmark
  public AggregateResult wholeServer() {
    long start = cpu.start();
    AggregateResult result = round.replayAll();
    cpu.stop(start);
    return result;
  }

  @TearDown(Level.Iteration)
  public void endIteration(IterationParams params) {
    cpu.endIteration(params);
  }

  @TearDown(Level.Trial)
  public void endTrial() {
    cpu.endTrial("unmask/wholeServer " + scenario);
  }
}
