package org.comity.simulation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.comity.aggregation.secagg.SecAggParameters;
import org.comity.aggregation.secagg.ThreatModel;
import org.junit.jupiter.api.Test;

class SimulationCliTest {
  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = SimulationMain.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void secaggParams_printsTheDerivedGraphAsJson() throws Exception {
    Run result = run("secagg", "params", "--clients", "100", "--corrupt-rate", "0.45", "--dropout-rate", "0.45",
        "--threat", "semi-honest");
    assertEquals(0, result.exitCode(), result.err());
    JsonNode json = new ObjectMapper().readTree(result.out());
    SecAggParameters expected = SecAggParameters.derive(100, 0.45, 0.45, ThreatModel.SEMI_HONEST_SERVER);
    assertEquals(expected.neighbours(), json.get("neighbours").asInt());
    assertEquals(expected.threshold(), json.get("threshold").asInt());
  }

  @Test
  void secaggParams_badInput_exit2WithReason() {
    Run threat = run("secagg", "params", "--clients", "10", "--corrupt-rate", "0.1", "--dropout-rate", "0.1",
        "--threat", "curious");
    assertEquals(2, threat.exitCode());
    assertTrue(threat.err().contains("--threat must be semi-honest or semi-malicious"), threat.err());
    Run rate = run("secagg", "params", "--clients", "10", "--corrupt-rate", "1.5", "--dropout-rate", "0.1",
        "--threat", "semi-honest");
    assertEquals(2, rate.exitCode(), rate.err());
  }

  @Test
  void simulate_badFlags_exit2WithAClearMessage() {
    Run banks = run("simulate", "--banks", "1");
    assertEquals(2, banks.exitCode());
    assertTrue(banks.err().contains("--banks must be 2 to 200, got 1"), banks.err());
    Run test = run("simulate", "--data", "x.csv");
    assertEquals(2, test.exitCode());
    assertTrue(test.err().contains("--data needs --test"), test.err());
    Run help = run("simulate", "--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("--partition"), help.out());
  }
}
