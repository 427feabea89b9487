package org.comity.agent.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.comity.agent.model.SessionThreads;
import org.junit.jupiter.api.Test;

/** The benchmark's plumbing and report on a tiny run; no timing is asserted. */
class DpSgdThroughputBenchmarkTest {

  @Test
  void run_tinyOptions_reportsBothKindsAndTheirRatio() {
    // given
    DpSgdThroughputBenchmark.Options options =
        new DpSgdThroughputBenchmark.Options(30, 2000, 100, 1, 2, 1.0, 1.1, new SessionThreads(1, 1), 1);

    // when
    DpSgdThroughputBenchmark.Report report = DpSgdThroughputBenchmark.run(options);

    // then
    assertEquals(2, report.plainEpochSeconds().size());
    assertEquals(2, report.dpSgdEpochSeconds().size());
    assertEquals(2000 / TrainingThroughputBenchmark.median(report.plainEpochSeconds()),
        report.plainSamplesPerSecond(), 1e-9 * report.plainSamplesPerSecond());
    assertEquals(report.dpSgdSamplesPerSecond() / report.plainSamplesPerSecond(), report.ratio(), 1e-12);
    assertTrue(report.ratio() > 0 && report.pairedRatio() > 0);
    String json = report.toJson();
    assertTrue(json.startsWith("{\"device\": \"CPU (1 intra-op threads"), json);
    assertTrue(json.contains("\"ratio\": ") && json.contains("\"pairedRatio\": "), json);
  }

  @Test
  void parseArguments_overridesKnownKeysAndRejectsUnknownOnes() {
    DpSgdThroughputBenchmark.Options options = DpSgdThroughputBenchmark.parseArguments(
        new String[] {"rows=5000", "batchSize=128", "noiseMultiplier=0.8"}, DpSgdThroughputBenchmark.Options.defaults());
    assertEquals(5000, options.rows());
    assertEquals(128, options.batchSize());
    assertEquals(0.8, options.noiseMultiplier());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DpSgdThroughputBenchmark.parseArguments(new String[] {"epochs=3"},
            DpSgdThroughputBenchmark.Options.defaults()));
    assertTrue(e.getMessage().startsWith("unknown option 'epochs'"), e.getMessage());
  }
}
