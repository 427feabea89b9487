package org.comity.coordinator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.comity.coordinator.server.CoordinatorOptions;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/privacy} of a run with bank-level DP, and the sample-level epsilon the banks report. */
class ConsolePrivacyTest {
  @TempDir
  Path dir;

  @Test
  void privacy_showsEpsilonSpentAgainstThePlansBudget_perRound_andEachBanksReportedSampleEpsilon() throws Exception {
    // given: a finished 2-round run with bank-level DP whose banks report their own DP-SGD epsilon
    FederationPlan plan = PlanLoader.parse("""
        label: y
        features: [{name: a}]
        model: {hidden_units: [2]}
        rounds: {count: 2, min_quorum: 2, min_members_to_start: 2}
        privacy:
          bank_level: {enabled: true, clip_norm: 1.0, noise_multiplier: 1.0, participation_rate: 1.0,
                       target_epsilon: 1000, delta: 0.1}
        """, "test");
    ConsoleEvents events = new ConsoleEvents();
    OperatorTokens tokens = OperatorTokens.open(dir.resolve("tokens.json"), Clock.systemUTC());
    String token = tokens.create("reader", OperatorRole.READ).secret();
    JsonObject privacy;
    JsonArray rounds;
    try (CoordinatorServer coordinator = CoordinatorServer.start(plan, CoordinatorOptions.defaults().withPort(0)
        .withPolling(Duration.ofMillis(500), Duration.ofSeconds(5)), CoordinatorServer.plaintext(), Clock.systemUTC(),
        events);
         ConsoleServer console = ConsoleServer.start(coordinator, plan, events,
             ConsoleBackends.inMemory(tokens, coordinator.models(), Clock.systemUTC()), ConsoleOptions.loopback(0),
             Clock.systemUTC())) {
      ExecutorService banks = Executors.newFixedThreadPool(2);
      Future<?> a = banks.submit(new ScriptedBank("bank-a", plan, coordinator.port(), false, 0.5));
      Future<?> b = banks.submit(new ScriptedBank("bank-b", plan, coordinator.port(), false, 0.25));
      coordinator.runFinished().get(60, TimeUnit.SECONDS);
      a.get(60, TimeUnit.SECONDS);
      b.get(60, TimeUnit.SECONDS);
      banks.shutdown();
      // when
      privacy = get(console, token, "/api/v1/privacy");
      rounds = get(console, token, "/api/v1/metrics").getJsonArray("items");
      // then: the API agrees with the engine's own accounting
      assertEquals(coordinator.engine().epsilonSpent(), privacy.getJsonObject("bankLevel").getDouble("epsilonSpent"));
    }
    JsonObject bank = privacy.getJsonObject("bankLevel");
    assertTrue(bank.getBoolean("enabled"));
    assertEquals(1000.0, bank.getDouble("targetEpsilon"));
    assertEquals(0.1, bank.getDouble("delta"));
    double spent = bank.getDouble("epsilonSpent");
    assertTrue(spent > 0 && spent < 1000, "spent " + spent);
    assertEquals(1000 - spent, bank.getDouble("remaining"), 1e-9);
    JsonArray perRound = bank.getJsonArray("perRound");
    assertEquals(2, perRound.size());
    assertTrue(perRound.getJsonObject(0).getDouble("epsilonSpent") < perRound.getJsonObject(1).getDouble("epsilonSpent"),
        "epsilon accumulates: " + perRound);
    assertEquals(spent, perRound.getJsonObject(1).getDouble("epsilonSpent"));
    assertEquals(spent, rounds.getJsonObject(1).getDouble("epsilonSpent"));
    JsonObject sample = privacy.getJsonObject("sampleLevel").getJsonObject("epsilonByBank");
    assertEquals(1.0, sample.getDouble("bank-a"), "as bank-a last reported it (round 2)");
    assertEquals(0.5, sample.getDouble("bank-b"));
  }

  private static JsonObject get(ConsoleServer console, String token, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:%d%s".formatted(console.port(), path))).header("Authorization", "Bearer " + token)
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
