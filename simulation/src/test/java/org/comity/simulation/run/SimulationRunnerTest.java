package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.comity.simulation.report.ResultTable;
import org.comity.simulation.report.ResultsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole simulation on real credit data: three regimes, one test set, results.json, reproducible by seed. */
class SimulationRunnerTest {
  @TempDir
  Path out;

  @TempDir
  Path out2;

  @Test
  void realCsvSplitAcrossBanks_givesAllThreeRegimes_andTheSameSeedGivesTheSameNumbers() throws Exception {
    // given
    SimulationConfig config = new SimulationConfig(null, 3, 4, 11, FederatedRunEndToEndTest.GERMAN_TRAIN,
        FederatedRunEndToEndTest.GERMAN_TEST, "label", "dirichlet:0.5", out, 1);
    SimulationRunner runner = new SimulationRunner(FederatedRunEndToEndTest.TENSORFLOW, SimulationProgress.SILENT);
    // when
    SimulationResults results = runner.run(config);
    ResultsJson.write(results, out.resolve("results.json"));
    // then
    JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    for (String regime : new String[] {"federated", "local_only", "centralized"}) {
      for (String metric : new String[] {"roc_auc", "pr_auc"}) {
        double value = json.path(regime).path(metric).asDouble(Double.NaN);
        assertTrue(value > 0.3 && value <= 1.0, regime + "." + metric + " = " + value);
      }
    }
    assertEquals(4, json.path("federated").path("rounds").size());
    assertEquals(3, json.path("local_only").path("banks").size());
    assertEquals(300, json.path("federated").path("test_examples").asInt(), "the whole test CSV");
    assertTrue(ResultTable.render(results).contains("centralized (pooled)"));
    java.nio.file.Path chart = out.resolve("federated-rounds.png");
    org.comity.simulation.report.RoundChart.write(results, chart);
    byte[] png = java.nio.file.Files.readAllBytes(chart);
    assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG chart was written");
    // and the same seed reproduces the numbers exactly
    SimulationResults again = runner.run(new SimulationConfig(null, 3, 4, 11, FederatedRunEndToEndTest.GERMAN_TRAIN,
        FederatedRunEndToEndTest.GERMAN_TEST, "label", "dirichlet:0.5", out2, 1));
    assertEquals(results.federated().selected().rocAuc(), again.federated().selected().rocAuc());
    assertEquals(results.centralized().selected().rocAuc(), again.centralized().selected().rocAuc());
    assertEquals(results.localOnlyMean().prAuc(), again.localOnlyMean().prAuc());
  }
}
