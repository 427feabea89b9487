package org.comity.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.aggregation.normalization.Normalization;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.EngineCheckpoint;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RoundTransition;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanException;
import org.comity.plan.PlanHash;
import org.comity.plan.PlanLoader;

/** Plans, versions and reports for the store tests. */
public final class JournalFixtures {
  public static final Instant T0 = Instant.parse("2026-11-27T10:00:00.123456789Z");

  private JournalFixtures() {}

  public static FederationPlan plan(String name) {
    try {
      return PlanLoader.parse("""
          name: %s
          label: y
          features: [{name: a}, {name: b}]
          model: {hidden_units: [2]}
          rounds: {count: 3, min_quorum: 2, min_members_to_start: 2, participants_per_round: all,
                   deadline: 60s, evaluation_deadline: 30s, join_timeout: 120s, seed: 5}
          """.formatted(name), "test plan");
    } catch (PlanException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hash(FederationPlan plan) {
    return PlanHash.of(plan);
  }

  /** Weights with awkward values: negative zero, subnormals, extremes. */
  public static float[] weights(int count, int salt) {
    float[] weights = new float[count];
    for (int i = 0; i < count; i++) {
      weights[i] = (float) Math.sin(i * 0.37 + salt) * (i % 7 == 0 ? 1e-30f : 1.5f);
    }
    weights[0] = -0.0f;
    weights[1] = Float.MIN_VALUE;
    weights[2] = Float.MAX_VALUE;
    return weights;
  }

  public static Normalization normalization() {
    return new Normalization(new double[] {0.1, -3.25e-7}, new double[] {1.0 / 3, 7.5}, 0.0123);
  }

  public static EvaluationSummary validation(double rocAuc) {
    return new EvaluationSummary(1000, 12, rocAuc, 0.4321, 0.5, Double.NaN, 0.25, 0.3456789, 0.5);
  }

  public static ModelVersion version(String runId, String planHash, long number, int round, List<String> banks) {
    return new ModelVersion(number, runId, planHash, round, weights(25, (int) number), normalization(),
        validation(0.8 + number / 100.0), banks, T0.plusSeconds(60 * number).plusNanos(7), 0.5 * number);
  }

  public static RoundReport report(int round, int attempt, RoundPhase outcome, long version) {
    return new RoundReport(round, attempt, outcome, outcome == RoundPhase.FAILED ? "quorum not reached" : "ok",
        List.of("bank-a", "bank-b", "bank-c"), List.of("bank-a", "bank-b"), Map.of("bank-c", "deadline passed"),
        version, outcome == RoundPhase.FAILED ? Double.NaN : 0.61234, outcome == RoundPhase.COMMITTED
            ? validation(0.91) : null, 1234, Duration.ofSeconds(42, 987654321), 1.25 * round);
  }

  public static EngineCheckpoint checkpoint(int nextRound, long globalVersion) {
    return new EngineCheckpoint(nextRound, (int) globalVersion, 1, 1, globalVersion, nextRound - 1, 0.75);
  }

  public static RoundTransition transition(String runId, int round, RoundPhase from, RoundPhase to, int second) {
    return new RoundTransition(runId, round, 1, from, to, "to " + to, T0.plusSeconds(second));
  }

  /** Same version: every field, the weights bit for bit, the same hash. */
  public static void assertSameVersion(ModelVersion expected, ModelVersion actual) {
    assertEquals(expected.version(), actual.version());
    assertEquals(expected.runId(), actual.runId());
    assertEquals(expected.planHash(), actual.planHash());
    assertEquals(expected.round(), actual.round());
    int[] expectedBits = bits(expected.weights());
    assertArrayEquals(expectedBits, bits(actual.weights()), "weights differ bit for bit");
    assertEquals(expected.weightsHash(), actual.weightsHash());
    assertEquals(expected.normalization(), actual.normalization());
    assertEquals(expected.validation(), actual.validation());
    assertEquals(expected.participants(), actual.participants());
    assertEquals(expected.committedAt(), actual.committedAt());
    assertEquals(expected.epsilonSpent(), actual.epsilonSpent());
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
