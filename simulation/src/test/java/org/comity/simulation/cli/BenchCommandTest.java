package org.comity.simulation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench coordinator} runs end to end on a tiny consortium and writes its report; no timing is asserted. */
class BenchCommandTest {

  @Test
  void benchCoordinator_tinyConsortium_writesReportWithEveryKey(@TempDir Path out) throws Exception {
    // when
    int exitCode = SimulationMain.execute("bench", "coordinator", "--banks", "2,3", "--rounds", "2",
        "--rows-per-bank", "1000", "--out", out.toString());
    // then
    assertEquals(0, exitCode);
    JsonNode json = new ObjectMapper().readTree(out.resolve("bench-coordinator.json").toFile());
    for (String key : List.of("benchmark", "command", "environment", "overhead_definition", "heap_definition",
        "results", "ratios")) {
      assertTrue(json.has(key), "missing " + key + " in " + json);
    }
    assertEquals(2, json.get("results").size());
    assertEquals(2, json.get("results").get(0).get("banks").asInt());
    assertEquals(3, json.get("results").get(1).get("banks").asInt());
    for (JsonNode result : json.get("results")) {
      for (String key : List.of("parameter_count", "rounds_measured", "failed_rounds", "median_round_wall_ms",
          "median_slowest_training_ms", "median_overhead_ms", "median_overhead_fraction",
          "coordinator_retained_heap_bytes", "round_state_bytes_analytic", "rounds")) {
        assertTrue(result.has(key), "missing " + key + " in " + result);
      }
      assertEquals(2, result.get("rounds").size(), "both training rounds reported");
      assertEquals(1, result.get("rounds_measured").asInt(), "round 1 is warm-up");
      assertEquals(0, result.get("failed_rounds").asInt());
    }
    for (String key : List.of("most_banks", "fewest_banks", "overhead_ms_most_vs_fewest",
        "coordinator_heap_most_vs_fewest")) {
      assertTrue(json.get("ratios").has(key), "missing ratios." + key);
    }
    assertTrue(Files.exists(out.resolve("banks-2").resolve("banks").resolve("bank-01.csv")));
  }

  @Test
  void benchCoordinator_badValues_exitWithCode2() {
    assertEquals(2, SimulationMain.execute("bench", "coordinator", "--banks", "1,5"));
    assertEquals(2, SimulationMain.execute("bench", "coordinator", "--rounds", "1"));
    assertEquals(2, SimulationMain.execute("bench", "coordinator", "--rows-per-bank", "300"));
  }
}
