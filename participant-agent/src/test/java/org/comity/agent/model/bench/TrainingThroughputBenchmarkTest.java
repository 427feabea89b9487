package org.comity.agent.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.junit.jupiter.api.Test;

/** Checks the benchmark's plumbing and report shape on a tiny run; no timing is asserted. */
class TrainingThroughputBenchmarkTest {

  @Test
  void run_tinyOptions_reportsEveryBatchSizeAndConsistentDerivedNumbers() {
    // given
    BenchmarkOptions options =
        new BenchmarkOptions(30, 3000, List.of(64, 256), 1, 2, 64, 1, 3, DeviceSelection.cpu(),
            new SessionThreads(1, 1), 1);

    // when
    BenchmarkReport report = TrainingThroughputBenchmark.run(options);

    // then
    assertEquals(14_337, report.parameterCount());
    assertEquals(76_992, report.trainingFlopsPerSample());
    assertEquals(List.of(64, 256), report.training().stream().map(BenchmarkReport.TrainingThroughput::batchSize).toList());
    assertEquals(2L * 64 * 64 * 64, report.peak().flopsPerProduct());
    assertEquals(2 * 2 * 3, report.peak().productSeconds().size(), "3 products after each of 2 timed epochs x 2 batch sizes");
    for (BenchmarkReport.TrainingThroughput t : report.training()) {
      assertEquals(2, t.epochSeconds().size());
      double expectedRate = 3000 / TrainingThroughputBenchmark.median(t.epochSeconds());
      assertEquals(expectedRate, t.medianSamplesPerSecond(), expectedRate * 1e-12);
      assertEquals(t.achievedGflops() / report.peak().medianGflops(), t.fractionOfPeak(), 1e-12);
    }
    assertTrue(report.device().startsWith("CPU (1 intra-op threads"));
  }

  @Test
  void toJson_isOneObjectWithTheDocumentedKeys() {
    // given
    BenchmarkReport report = new BenchmarkReport(
        new BenchmarkReport.Environment("17", "2.18.0", 2, "CPU \"X\"", 1.5, Double.NaN),
        "CPU (2 intra-op threads, 2 inter-op threads)", "30-128-64-32-1 relu dropout 0.3", 14_337, 100_000, 76_992,
        List.of(new BenchmarkReport.TrainingThroughput(256, List.of(0.25, 0.5), 400_000.0, 30.8, 0.28)),
        new BenchmarkReport.MatMulPeak(2048, 17_179_869_184L, List.of(0.156), 110.1234567));

    // when
    String json = report.toJson();

    // then
    assertTrue(json.startsWith("{") && json.endsWith("}"));
    assertTrue(json.contains("\"cpuModel\": \"CPU \\\"X\\\"\""), json);
    assertTrue(json.contains("{\"batchSize\": 256, \"epochSeconds\": [0.25, 0.5], \"medianSamplesPerSecond\": 400000,"
        + " \"achievedGflops\": 30.8, \"fractionOfPeak\": 0.28}"), json);
    assertTrue(json.contains("\"medianGflops\": 110.123}"), json);
    assertTrue(json.contains("\"trainingFlopsPerSample\": 76992,"), json);
    assertTrue(json.contains("\"loadAverageAtStart\": 1.5, \"loadAverageAtEnd\": null}"), json);
  }

  @Test
  void median_oddAndEvenCounts() {
    assertEquals(2.0, TrainingThroughputBenchmark.median(List.of(3.0, 1.0, 2.0)));
    assertEquals(2.5, TrainingThroughputBenchmark.median(List.of(4.0, 1.0, 2.0, 3.0)));
  }

  @Test
  void parseArguments_overridesKnownKeysAndRejectsUnknownOnes() {
    // when
    BenchmarkOptions options = TrainingThroughputBenchmark.parseArguments(
        new String[] {"rows=500", "batchSizes=32, 64", "device=cpu", "intraOpThreads=1"},
        BenchmarkOptions.defaults());

    // then
    assertEquals(500, options.rows());
    assertEquals(List.of(32, 64), options.batchSizes());
    assertEquals(DeviceSelection.cpu(), options.device());
    assertEquals(1, options.threads().intraOpThreads());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingThroughputBenchmark.parseArguments(new String[] {"epochs=3"}, BenchmarkOptions.defaults()));
    assertTrue(e.getMessage().startsWith("unknown option 'epochs'; allowed: rows,"), e.getMessage());
  }

  @Test
  void options_invalidValues_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> new BenchmarkOptions(30, 100, List.of(), 1, 1, 64, 1, 1,
        DeviceSelection.cpu(), new SessionThreads(1, 1), 1));
    assertThrows(IllegalArgumentException.class, () -> new BenchmarkOptions(30, 100, List.of(64), 1, 0, 64, 1, 1,
        DeviceSelection.cpu(), new SessionThreads(1, 1), 1));
  }
}
