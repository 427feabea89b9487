package org.comity.simulation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@code SimulationMain privacy}: the published TensorFlow Privacy value, the noise inverse, and refusals naming the option. */
class PrivacyCommandTest {
  /** TensorFlow Privacy {@code compute_dp_sgd_privacy}'s orders, in the {@code --orders} syntax. */
  private static final String TF_PRIVACY_ORDERS = "1.25,1.5,1.75,2,2.25,2.5,3,3.5,4,4.5,5-63,128,256,512";
  /** TF Privacy {@code compute_dp_sgd_privacy_test}: n 60000, batch 150, z 1.3, 15 epochs, delta 1e-5. */
  private static final double TF_PRIVACY_EPSILON = 0.7242234026109595;
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exitCode = SimulationMain.execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static JsonNode singleJsonLine(String out) throws Exception {
    String[] lines = out.strip().split("\n");
    assertEquals(1, lines.length, "exactly one line on stdout: " + out);
    return JSON.readTree(lines[0]);
  }

  @Test
  void epsilon_tensorFlowPrivacyCase_printsPublishedEpsilonAtOrder19() throws Exception {
    // given q = 150 / 60000, 6000 steps (15 epochs), TF Privacy's orders
    // when
    Run result = run("privacy", "epsilon", "--sampling-rate", "0.0025", "--noise-multiplier", "1.3",
        "--steps", "6000", "--delta", "1e-5", "--orders", TF_PRIVACY_ORDERS);
    // then: the same tolerance as the accountant's published-value tests (TF Privacy sums in another order)
    assertEquals(0, result.exitCode(), result.err());
    JsonNode json = singleJsonLine(result.out());
    assertEquals(TF_PRIVACY_EPSILON, json.get("epsilon").doubleValue(), TF_PRIVACY_EPSILON * 1e-9);
    assertEquals(19.0, json.get("order").doubleValue());
    assertEquals(2, json.size(), result.out());
    assertTrue(result.out().startsWith("{\"epsilon\": 0.72422340261"), result.out());
  }

  @Test
  void noise_ofThePublishedEpsilon_roundTripsToTheNoiseMultiplier() throws Exception {
    // given
    String[] common = {"--sampling-rate", "0.0025", "--steps", "6000", "--delta", "1e-5", "--orders", TF_PRIVACY_ORDERS};
    double target = 0.75;
    // when
    Run noise = run(concat(new String[] {"privacy", "noise", "--target-epsilon", Double.toString(target)}, common));
    assertEquals(0, noise.exitCode(), noise.err());
    double z = singleJsonLine(noise.out()).get("noise_multiplier").doubleValue();
    Run atZ = run(concat(new String[] {"privacy", "epsilon", "--noise-multiplier", Double.toString(z)}, common));
    Run belowZ = run(concat(
        new String[] {"privacy", "epsilon", "--noise-multiplier", Double.toString(z * (1 - 1e-6))}, common));
    // then: the printed multiplier meets the target, and a slightly smaller one does not
    assertEquals(0, atZ.exitCode(), atZ.err());
    assertTrue(singleJsonLine(atZ.out()).get("epsilon").doubleValue() <= target, atZ.out());
    assertTrue(singleJsonLine(belowZ.out()).get("epsilon").doubleValue() > target, belowZ.out());
    // and the published case inverts to its own noise multiplier
    Run published = run(concat(
        new String[] {"privacy", "noise", "--target-epsilon", Double.toString(TF_PRIVACY_EPSILON)}, common));
    assertEquals(1.3, singleJsonLine(published.out()).get("noise_multiplier").doubleValue(), 1.3 * 1e-8);
  }

  @ParameterizedTest(name = "{0} -> names {1}")
  @CsvSource(delimiter = '|', value = {
    "privacy epsilon --sampling-rate 0.01 --noise-multiplier -1 --steps 10 --delta 1e-5 | --noise-multiplier",
    "privacy epsilon --sampling-rate 1.5 --noise-multiplier 1 --steps 10 --delta 1e-5 | --sampling-rate",
    "privacy epsilon --sampling-rate 0.01 --noise-multiplier 1 --steps 10 --delta 1e-5 --orders 5-2 | --orders",
    "privacy epsilon --sampling-rate 0.01 --noise-multiplier 1 --delta 1e-5 | --steps",
    "privacy epsilon --sampling-rate 0.01 --noise-multiplier 1 --steps -3 --delta 1e-5 | --steps",
    "privacy epsilon --sampling-rate 0.01 --noise-multiplier 1 --steps 10 --delta 1 | --delta",
    "privacy epsilon --sampling-rate 0.01 --noise-multiplier abc --steps 10 --delta 1e-5 | --noise-multiplier",
    "privacy noise --target-epsilon 0 --sampling-rate 0.01 --steps 10 --delta 1e-5 | --target-epsilon",
    "privacy noise --target-epsilon 1 --sampling-rate -0.1 --steps 10 --delta 1e-5 | --sampling-rate",
    "privacy noise --target-epsilon 1 --sampling-rate 0.01 --steps 10 | --delta",
    "privacy noise --target-epsilon 1e-9 --sampling-rate 1 --steps 10 --delta 1e-9 --orders 2-8 | --target-epsilon",
  })
  void badInput_exitsWithCode2AndNamesTheOption(String commandLine, String option) {
    // when
    Run result = run(commandLine.strip().split(" +"));
    // then
    assertEquals(2, result.exitCode(), result.err());
    assertTrue(result.err().contains(option), result.err());
    assertEquals("", result.out(), "nothing on stdout when the input is refused");
  }

  @Test
  void help_exitsWithCode0() {
    assertEquals(0, run("privacy", "epsilon", "--help").exitCode());
    assertEquals(0, run("privacy", "noise", "--help").exitCode());
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
