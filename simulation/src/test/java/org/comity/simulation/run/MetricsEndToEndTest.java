package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.comity.coordinator.metrics.MetricsEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's Prometheus endpoint after a real federated run. */
class MetricsEndToEndTest {
  private static final Pattern SAMPLE = Pattern.compile(
      "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\")*)?\\})? "
          + "(-?[0-9.]+(E-?[0-9]+)?|NaN|\\+Inf|-Inf)$");

  @TempDir
  Path out;

  @Test
  void metricsEndpoint_servesParseablePrometheusText_withTheRunsCounts() throws Exception {
    // given: a finished run of 3 banks and 2 rounds
    PreparedConsortium consortium = ConsortiumPreparer.prepare(new SimulationConfig(null, 3, 2, 3,
        FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid", out, 1));
    FederatedRegime.Outcome outcome = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { },
        FederatedRunEndToEndTest.FAST).run(consortium, Duration.ofMinutes(2));
    String text;
    try (var coordinator = outcome.coordinator();
         MetricsEndpoint endpoint = MetricsEndpoint.start(coordinator.metrics(), "127.0.0.1", 0)) {
      // when
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:%d/metrics".formatted(endpoint.port()))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
      text = response.body();
    }
    // then: every line is a comment or a well-formed sample
    Map<String, Double> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        assertTrue(line.isBlank() || line.startsWith("# HELP ") || line.startsWith("# TYPE "), line);
        continue;
      }
      Matcher matcher = SAMPLE.matcher(line);
      assertTrue(matcher.matches(), "not Prometheus text format: " + line);
      samples.put(line.substring(0, line.lastIndexOf(' ')), Double.parseDouble(
          line.substring(line.lastIndexOf(' ') + 1).replace("+Inf", "Infinity")));
    }
    assertEquals(Double.valueOf(2.0),
        samples.get("comity_round_duration_seconds_count{kind=\"training\",outcome=\"committed\"}"), text);
    assertEquals(Double.valueOf(6.0), samples.get("comity_updates_accepted_total"), "3 banks x 2 rounds");
    assertEquals(Double.valueOf(2.0), samples.get("comity_model_version"));
    assertTrue(sum(samples, "comity_federation_received_bytes_total{") > 100_000, "updates arrived");
    assertTrue(sum(samples, "comity_federation_sent_bytes_total{") > 100_000, "models were sent");
    assertTrue(samples.containsKey("comity_stage_duration_seconds_count{stage=\"training\"}"), samples.keySet().toString());
    assertTrue(samples.containsKey("comity_connected_members"));
    assertTrue(samples.containsKey("comity_privacy_epsilon_spent"));
  }

  /** The sum over every label set of one metric (bytes are counted per gRPC method). */
  private static double sum(Map<String, Double> samples, String prefix) {
    return samples.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
  }
}
