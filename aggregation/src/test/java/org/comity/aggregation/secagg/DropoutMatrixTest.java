package org.comity.aggregation.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.comity.aggregation.secagg.RoundHarness.DropStage;
import org.comity.aggregation.secagg.client.ClientInput;
import org.comity.aggregation.secagg.server.AggregateResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fault injection: for n in {3, 10, 50}, m banks drop at one stage, m from 1 to n - t (the most that
 * leaves the threshold) plus n - t + 1 (every m for n = 3 and 10; m in {1, 2, 10, 25, 40, 44, 45} for
 * n = 50, where t = 6, to keep the suite fast). Every cell must either equal plain FedAvg over the
 * contributors within the stated quantization bound, or abort with the reason an independent oracle
 * (working from the neighbour graph and the drop set) predicts. The matrix runs twice: without the
 * consistency check (four stages), and with it (five stages, the consistency check included; m in {1, 10,
 * 44, 45} for n = 50).
 */
class DropoutMatrixTest {
  private static final int LENGTH = 6;
  private static final double CLIP = 1.0;
  private static final long MAX_WEIGHT = 100_000;

  static Stream<Arguments> cells() {
    List<Arguments> cells = new ArrayList<>();
    addCells(cells, 3, 0.0, 0.34, null, false);
    addCells(cells, 10, 0.1, 0.3, null, false);
    addCells(cells, 50, 0.1, 0.3, new int[] {1, 2, 10, 25, 40, 44, 45}, false);
    addCells(cells, 3, 0.0, 0.34, null, true);
    addCells(cells, 10, 0.1, 0.3, null, true);
    addCells(cells, 50, 0.1, 0.3, new int[] {1, 10, 44, 45}, true);
    return cells.stream();
  }

  private static void addCells(List<Arguments> cells, int n, double corrupt, double dropout, int[] counts,
      boolean consistencyCheck) {
    SecAggParameters p = SecAggParameters.derive(n, corrupt, dropout, ThreatModel.SEMI_HONEST_SERVER);
    int beyond = n - p.threshold() + 1;
    for (DropStage stage : DropStage.values()) {
      if (stage == DropStage.CONSISTENCY_CHECK && !consistencyCheck) {
        continue; // without the check, going silent there is going silent at UNMASK
      }
      if (counts == null) {
        for (int m = 1; m <= beyond; m++) {
          cells.add(Arguments.of(n, p, stage, m, consistencyCheck));
        }
      } else {
        for (int m : counts) {
          cells.add(Arguments.of(n, p, stage, m, consistencyCheck));
        }
      }
    }
  }

  @ParameterizedTest(name = "n={0} {1} drop {3} at {2}, consistency check {4}")
  @MethodSource("cells")
  void dropouts_atEachStage_sumMatchesFedAvgOrAbortsWithPredictedReason(int n, SecAggParameters p, DropStage stage,
      int dropping, boolean consistencyCheck) {
    // given
    List<String> banks = RoundHarness.bankIds(n);
    SecAggConfig config = new SecAggConfig(100 + n, banks, p, LENGTH, CLIP, MAX_WEIGHT, consistencyCheck);
    Map<String, ClientInput> inputs = RoundHarness.randomInputs(banks, LENGTH, MAX_WEIGHT, n * 31L + dropping);
    List<String> shuffled = new ArrayList<>(banks);
    Collections.shuffle(shuffled, new Random(n * 1000L + dropping * 10L + stage.ordinal()));
    Map<String, DropStage> drops = new HashMap<>();
    for (String b : shuffled.subList(0, dropping)) {
      drops.put(b, stage);
    }
    // when
    RoundHarness.Outcome outcome = RoundHarness.run(config, inputs, drops, n + dropping);
    // then
    Oracle.Expected expected = Oracle.predict(config, drops, outcome.context());
    if (expected.abortReason() == null) {
      AggregateResult result = outcome.result().orElseThrow(
          () -> new AssertionError("expected success, got " + outcome.aborted()));
      assertEquals(List.copyOf(expected.contributors()), result.contributors());
      double[] plain = RoundHarness.plainFedAvg(inputs, expected.contributors(), CLIP);
      double[] secure = result.weightedMean();
      for (int j = 0; j < LENGTH; j++) {
        assertEquals(plain[j], secure[j], result.meanErrorBound(), "coordinate " + j);
      }
    } else {
      assertTrue(outcome.result().isEmpty(), "expected abort " + expected.abortReason() + ", got a result");
      assertEquals(expected.abortReason(), outcome.aborted().orElseThrow().reason(), outcome.aborted().toString());
    }
  }

  /** Independent prediction of a round's outcome from the graph and the drop set. */
  static final class Oracle {
    record Expected(AbortReason abortReason, Set<String> contributors) {}

    static Expected predict(SecAggConfig config, Map<String, DropStage> drops, RoundContext context) {
      int t = config.threshold();
      Set<String> u1 = new TreeSet<>(config.members());
      u1.removeIf(b -> drops.get(b) == DropStage.ADVERTISE_KEYS);
      if (u1.size() < t) {
        return new Expected(AbortReason.TOO_FEW_KEYS_ADVERTISED, Set.of());
      }
      NeighbourGraph g = context.graph();
      Set<String> u2 = new TreeSet<>();
      for (String b : u1) {
        boolean refusesDirectory = intersect(g.neighboursOf(b), u1).size() + 1 < t;
        if (!refusesDirectory && drops.get(b) != DropStage.SHARE_KEYS) {
          u2.add(b);
        }
      }
      if (u2.size() < t) {
        return new Expected(AbortReason.TOO_FEW_SHARES_SENT, Set.of());
      }
      Set<String> u3 = new TreeSet<>();
      for (String b : u2) {
        boolean refusesDelivery = intersect(g.neighboursOf(b), u2).size() + 1 < t;
        if (!refusesDelivery && drops.get(b) != DropStage.MASKED_INPUT) {
          u3.add(b);
        }
      }
      if (u3.size() < t) {
        return new Expected(AbortReason.TOO_FEW_MASKED_INPUTS, Set.of());
      }
      for (String b : u2) {
        int holders = intersect(g.neighboursOf(b), u3).size() + (u3.contains(b) ? 1 : 0);
        if (holders < t) {
          return new Expected(AbortReason.TOO_FEW_SURVIVING_SHARE_HOLDERS, Set.of());
        }
      }
      // Without the check every survivor is asked to unmask; with it, only those that signed the survivor set.
      Set<String> asked = new TreeSet<>(u3);
      if (config.consistencyCheck()) {
        asked.removeIf(b -> drops.get(b) == DropStage.CONSISTENCY_CHECK);
        if (asked.size() < t) {
          return new Expected(AbortReason.TOO_FEW_CONSISTENCY_SIGNATURES, Set.of());
        }
        for (String b : u2) {
          int holders = intersect(g.neighboursOf(b), asked).size() + (asked.contains(b) ? 1 : 0);
          if (holders < t) {
            return new Expected(AbortReason.TOO_FEW_SURVIVING_SHARE_HOLDERS, Set.of());
          }
        }
      }
      Set<String> responders = new TreeSet<>(asked);
      responders.removeIf(b -> drops.get(b) == DropStage.UNMASK);
      for (String b : u2) {
        int shares = intersect(g.neighboursOf(b), responders).size() + (u3.contains(b) && responders.contains(b) ? 1 : 0);
        if (shares < t) {
          return new Expected(AbortReason.TOO_FEW_UNMASK_RESPONSES, Set.of());
        }
      }
      return new Expected(null, u3);
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
      Set<String> out = new TreeSet<>(a);
      out.retainAll(b);
      return out;
    }
  }
}
