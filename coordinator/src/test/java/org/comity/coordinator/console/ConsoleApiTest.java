package org.comity.coordinator.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.comity.coordinator.round.RunOutcome;
import org.comity.coordinator.server.CoordinatorOptions;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every console route against a real coordinator that ran two training rounds with two scripted banks over gRPC:
 * what each route shows, who may call it, and how bad input is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleApiTest {
  /** Loggers whose output is captured (at DEBUG, kept in memory) to check that no secret is ever logged. */
  private static final List<String> CAPTURED = List.of("org.comity", "io.vertx", "io.netty");
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static final List<String> READ_ROUTES = List.of("/whoami", "/run", "/runs", "/members", "/rounds", "/metrics",
      "/privacy", "/rejections", "/models", "/models/1", "/audit");
  private static final List<String> ADMIN_ROUTES = List.of("/models/1/promote", "/models/rollback");

  private final HttpClient http = HttpClient.newHttpClient();
  private CoordinatorServer coordinator;
  private ConsoleServer console;
  private OperatorTokens tokens;
  private String readToken;
  private String adminToken;
  private final List<String> streamedLines = new CopyOnWriteArrayList<>();
  private final CountDownLatch streamSawRunFinished = new CountDownLatch(1);
  private RunOutcome outcome;

  @BeforeAll
  void runTwoRoundsWithTheConsoleOpen(@TempDir Path dir) throws Exception {
    logs.start();
    for (String name : CAPTURED) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.setLevel(Level.DEBUG);
      logger.setAdditive(false);
      logger.addAppender(logs);
    }
    FederationPlan plan = PlanLoader.parse("""
        name: console-test
        label: y
        features: [{name: a}, {name: b}]
        model: {hidden_units: [2]}
        rounds: {count: 2, min_quorum: 2, min_members_to_start: 2}
        """, "test");
    ConsoleEvents events = new ConsoleEvents();
    coordinator = CoordinatorServer.start(plan, CoordinatorOptions.defaults().withPort(0)
        .withPolling(Duration.ofMillis(500), Duration.ofSeconds(5)).withRunId("console-run"),
        CoordinatorServer.plaintext(), Clock.systemUTC(), events);
    tokens = OperatorTokens.open(dir.resolve("tokens.json"), Clock.systemUTC());
    readToken = tokens.create("reader", OperatorRole.READ).secret();
    adminToken = tokens.create("alice", OperatorRole.ADMIN).secret();
    console = ConsoleServer.start(coordinator, plan, events,
        ConsoleBackends.inMemory(tokens, coordinator.models(), Clock.systemUTC()), ConsoleOptions.loopback(0),
        Clock.systemUTC(), Duration.ofMillis(200));
    // given: an event stream opened before any bank joins, so it sees the whole run
    String ticket = call("POST", "/events/tickets", readToken, null).json().getString("ticket");
    HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(uri("/api/v1/events?ticket=" + ticket))
        .build(), HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, stream.statusCode());
    Thread reader = new Thread(() -> stream.body().forEach(line -> {
      streamedLines.add(line);
      if (line.equals("event: run-finished")) {
        streamSawRunFinished.countDown();
      }
    }), "sse-reader");
    reader.setDaemon(true);
    reader.start();
    ExecutorService banks = Executors.newFixedThreadPool(2);
    List<Future<?>> running = new ArrayList<>();
    running.add(banks.submit(new ScriptedBank("bank-a", plan, coordinator.port(), true)));
    running.add(banks.submit(new ScriptedBank("bank-b", plan, coordinator.port(), false)));
    outcome = coordinator.runFinished().get(60, TimeUnit.SECONDS);
    for (Future<?> bank : running) {
      bank.get(60, TimeUnit.SECONDS);
    }
    banks.shutdown();
  }

  @AfterAll
  void stop() {
    for (String name : CAPTURED) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.detachAppender(logs);
      logger.setAdditive(true);
      logger.setLevel(null);
    }
    if (console != null) {
      console.close();
    }
    if (coordinator != null) {
      coordinator.close();
    }
  }

  // ---- access ----

  @Test
  void everyRoute_withoutAToken_is401_withAJsonErrorNamingTheHeader() throws Exception {
    for (String route : READ_ROUTES) {
      Reply reply = call("GET", route, null, null);
      assertEquals(401, reply.status(), route);
      assertEquals("Authorization", reply.json().getString("parameter"), route);
      assertTrue(reply.json().getString("error").contains("operator token is required"), reply.body());
    }
    for (String route : ADMIN_ROUTES) {
      assertEquals(401, call("POST", route, null, "{\"reason\":\"x\"}").status(), route);
    }
    assertEquals(401, call("POST", "/events/tickets", null, null).status());
  }

  @Test
  void anUnknownToken_andARevokedToken_are401() throws Exception {
    assertEquals(401, call("GET", "/run", OperatorTokens.PREFIX + "forged", null).status());
    // given: a token that works
    String soon = tokens.create("leaver", OperatorRole.ADMIN).secret();
    assertEquals(200, call("GET", "/whoami", soon, null).status());
    // when: it is revoked through another handle on the same file, as the CLI would
    OperatorTokens.open(tokens.file(), Clock.systemUTC()).revoke("leaver");
    // then
    Reply reply = call("GET", "/whoami", soon, null);
    assertEquals(401, reply.status());
    assertTrue(reply.json().getString("error").contains("unknown or revoked"), reply.body());
  }

  @Test
  void aReadToken_onAdminRoutes_is403_andChangesNothing() throws Exception {
    for (String route : ADMIN_ROUTES) {
      Reply reply = call("POST", route, readToken, "{\"reason\":\"try\"}");
      assertEquals(403, reply.status(), route + " " + reply.body());
      assertTrue(reply.json().getString("error").contains("needs an admin token"), reply.body());
    }
    assertTrue(call("GET", "/audit", readToken, null).json().getJsonArray("items").stream()
        .noneMatch(e -> ((JsonObject) e).getString("actor").equals("reader")));
  }

  @Test
  void whoami_namesTheTokenAndItsRole() throws Exception {
    JsonObject me = call("GET", "/whoami", adminToken, null).json();
    assertEquals("alice", me.getString("name"));
    assertEquals("admin", me.getString("role"));
  }

  // ---- what the routes show ----

  @Test
  void run_showsTheFinishedRunWithItsPlanHashAndRounds() throws Exception {
    JsonObject run = call("GET", "/run", readToken, null).json();
    assertEquals("console-run", run.getString("runId"));
    assertEquals(coordinator.engine().planHash(), run.getString("planHash"));
    assertEquals("FINISHED", run.getString("state"));
    assertEquals(outcome.completed(), run.getJsonObject("outcome").getBoolean("completed"));
    assertEquals(2, run.getInteger("roundsPlanned"));
    assertEquals(2, run.getInteger("roundsDone"));
    assertEquals(2, run.getInteger("roundsCommitted"));
    assertNull(run.getValue("currentRound"), "no round is in progress after the run");
    assertEquals(2L, run.getLong("latestVersion"));
  }

  @Test
  void runs_withoutAStore_listTheRunThisConsoleServes() throws Exception {
    JsonObject runs = call("GET", "/runs", readToken, null).json();
    assertEquals(1, runs.getLong("total"));
    JsonObject only = runs.getJsonArray("items").getJsonObject(0);
    assertEquals("console-run", only.getString("runId"));
    assertEquals(coordinator.engine().planHash(), only.getString("planHash"));
    assertEquals(2, only.getInteger("committedRounds"));
    assertEquals(outcome.completed(), only.getBoolean("completed"));
    assertEquals(400, call("GET", "/runs?offset=-1", readToken, null).status());
  }

  @Test
  void members_listsBothBanks_withLastSeen_andNoSessionToken() throws Exception {
    Reply reply = call("GET", "/members", readToken, null);
    JsonArray members = reply.json().getJsonArray("members");
    assertEquals(List.of("bank-a", "bank-b"), members.stream().map(m -> ((JsonObject) m).getString("id")).toList());
    JsonObject first = members.getJsonObject(0);
    assertNotNull(first.getString("lastSeen"));
    assertTrue(first.containsKey("connected") && first.containsKey("inSession"));
    assertNull(first.getValue("certificate"), "no PKI roster in this test");
    assertFalse(reply.body().contains("session\":\""), "a session token must never be shown: " + reply.body());
  }

  @Test
  void rounds_arePaginated_withTotalAndNext() throws Exception {
    // the statistics round and two training rounds
    JsonObject first = call("GET", "/rounds?limit=2", readToken, null).json();
    assertEquals(3L, first.getLong("total"));
    assertEquals(2, first.getJsonArray("items").size());
    assertEquals("/api/v1/rounds?offset=2&limit=2", first.getString("next"));
    JsonObject statistics = first.getJsonArray("items").getJsonObject(0);
    assertEquals("statistics", statistics.getString("kind"));
    JsonObject second = call("GET", first.getString("next").substring("/api/v1".length()), readToken, null).json();
    assertEquals(1, second.getJsonArray("items").size());
    assertNull(second.getValue("next"));
    JsonObject last = second.getJsonArray("items").getJsonObject(0);
    assertEquals(2, last.getInteger("round"));
    assertEquals("COMMITTED", last.getString("outcome"));
    assertEquals(List.of("bank-a", "bank-b"), last.getJsonArray("contributors").getList());
    assertEquals(0, last.getJsonArray("dropouts").size());
    assertNull(last.getValue("failureReason"));
    assertNotNull(last.getJsonObject("metrics").getDouble("rocAuc"));
    assertTrue(last.getLong("wallTimeMillis") >= 0);
    assertEquals(0.0, last.getDouble("epsilonSpent"));
    // past the end: an empty page, not an error
    assertEquals(0, call("GET", "/rounds?offset=10", readToken, null).json().getJsonArray("items").size());
  }

  @Test
  void metrics_holdOnePointPerTrainingRound_withRocAucPrAucAndLoss() throws Exception {
    JsonArray points = call("GET", "/metrics", readToken, null).json().getJsonArray("items");
    assertEquals(2, points.size());
    for (int i = 0; i < 2; i++) {
      JsonObject point = points.getJsonObject(i);
      assertEquals(i + 1, point.getInteger("round"));
      assertNotNull(point.getDouble("rocAuc"), point.encode());
      assertNotNull(point.getDouble("prAuc"), point.encode());
      assertNotNull(point.getDouble("logLoss"), point.encode());
      assertNotNull(point.getDouble("meanTrainLoss"), point.encode());
    }
  }

  @Test
  void privacy_showsTheBudgetOfThePlan() throws Exception {
    JsonObject privacy = call("GET", "/privacy", readToken, null).json();
    JsonObject bank = privacy.getJsonObject("bankLevel");
    assertFalse(bank.getBoolean("enabled"));
    assertEquals(0.0, bank.getDouble("epsilonSpent"));
    assertNull(bank.getValue("targetEpsilon"), "no budget without bank-level DP");
    assertEquals(2, bank.getJsonArray("perRound").size());
    assertFalse(privacy.getJsonObject("sampleLevel").getBoolean("enabled"));
  }

  @Test
  void rejections_countTheMalformedResultByReason() throws Exception {
    JsonObject rejections = call("GET", "/rejections", readToken, null).json();
    assertEquals(1L, rejections.getLong("total"));
    assertEquals(1L, rejections.getJsonObject("byReason").getLong("no_result"));
  }

  @Test
  void models_listBothVersions_andOneVersionByNumber() throws Exception {
    JsonObject page = call("GET", "/models", readToken, null).json();
    assertEquals(2L, page.getLong("total"));
    assertEquals(List.of(1, 2), page.getJsonArray("items").stream().map(v -> ((JsonObject) v).getInteger("version"))
        .toList());
    JsonObject two = call("GET", "/models/2", readToken, null).json();
    assertEquals(2, two.getInteger("round"));
    assertEquals(64, two.getString("weightsSha256").length());
    assertEquals(List.of("bank-a", "bank-b"), two.getJsonArray("participants").getList());
    assertNotNull(two.getJsonObject("validation").getDouble("rocAuc"));
  }

  // ---- admin actions and the audit trail ----

  @Test
  void promoteTwice_thenRollBack_restoresTheFirst_andEveryActionIsAuditedWithTheTokensName() throws Exception {
    // when
    Reply first = call("POST", "/models/1/promote", adminToken, "{\"reason\":\"best validation AUC\"}");
    Reply second = call("POST", "/models/2/promote", adminToken, "{\"reason\":\"newer\"}");
    Reply back = call("POST", "/models/rollback", adminToken, "{\"reason\":\"grey release regressed\"}");
    // then
    assertEquals(200, first.status(), first.body());
    assertEquals(200, second.status(), second.body());
    assertEquals(1L, second.json().getLong("previousVersion"));
    assertEquals(200, back.status(), back.body());
    assertEquals("ROLLBACK", back.json().getString("action"));
    assertEquals(1L, back.json().getLong("version"));
    JsonObject models = call("GET", "/models", readToken, null).json();
    assertEquals(1L, models.getLong("promotedVersion"));
    assertTrue(models.getJsonArray("items").getJsonObject(0).getBoolean("promoted"));
    assertEquals(3, models.getJsonArray("promotions").size());
    assertEquals(1L, call("GET", "/run", readToken, null).json().getLong("promotedVersion"));
    JsonArray audit = call("GET", "/audit", readToken, null).json().getJsonArray("items");
    List<String> actions = audit.stream().map(e -> ((JsonObject) e).getString("action") + " "
        + ((JsonObject) e).getString("subject") + " by " + ((JsonObject) e).getString("actor")).toList();
    assertTrue(actions.containsAll(List.of("model.promote model/1 by alice", "model.promote model/2 by alice",
        "model.rollback model/1 by alice")), actions.toString());
    JsonObject rollbackEntry = audit.stream().map(e -> (JsonObject) e)
        .filter(e -> e.getString("action").equals("model.rollback")).findFirst().orElseThrow();
    assertEquals("grey release regressed", rollbackEntry.getJsonObject("details").getString("reason"));
    assertEquals(2L, rollbackEntry.getJsonObject("details").getLong("previousVersion"));
    // and a second roll back has nothing left under version 1
    Reply nothing = call("POST", "/models/rollback", adminToken, "{\"reason\":\"again\"}");
    assertEquals(409, nothing.status(), nothing.body());
    assertTrue(nothing.json().getString("error").contains("nothing to roll back"), nothing.body());
  }

  // ---- bad input ----

  @Test
  void badPagination_is400_namingTheParameter() throws Exception {
    assertBadRequest("/rounds?offset=abc", "offset", "must be an integer 0-");
    assertBadRequest("/rounds?offset=-1", "offset", "must be 0-");
    assertBadRequest("/models?limit=0", "limit", "must be 1-500, got 0");
    assertBadRequest("/audit?limit=501", "limit", "must be 1-500, got 501");
    assertBadRequest("/metrics?limit=10&limit=20", "limit", "given 2 times");
  }

  @Test
  void badOrUnknownVersions_are400And404_namingTheVersion() throws Exception {
    assertBadRequest("/models/abc", "version", "must be a positive integer, got 'abc'");
    assertBadRequest("/models/0", "version", "must be a positive integer, got '0'");
    Reply missing = call("GET", "/models/99", readToken, null);
    assertEquals(404, missing.status());
    assertEquals("version", missing.json().getString("parameter"));
    Reply promoteMissing = call("POST", "/models/99/promote", adminToken, "{\"reason\":\"x\"}");
    assertEquals(404, promoteMissing.status(), promoteMissing.body());
    assertTrue(promoteMissing.json().getString("error").contains("model version 99 does not exist"));
  }

  @Test
  void badBodies_areRefused_namingTheField() throws Exception {
    Reply malformed = call("POST", "/models/1/promote", adminToken, "{\"reason\": ");
    assertEquals(400, malformed.status(), malformed.body());
    assertEquals("body", malformed.json().getString("parameter"));
    Reply array = call("POST", "/models/1/promote", adminToken, "[1,2]");
    assertEquals(400, array.status(), array.body());
    Reply noReason = call("POST", "/models/1/promote", adminToken, "{}");
    assertEquals(400, noReason.status());
    assertEquals("reason", noReason.json().getString("parameter"));
    Reply extra = call("POST", "/models/1/promote", adminToken, "{\"reason\":\"x\",\"version\":3}");
    assertEquals(400, extra.status());
    assertEquals("version", extra.json().getString("parameter"));
    Reply oversized = call("POST", "/models/1/promote", adminToken,
        "{\"reason\":\"" + "x".repeat(ConsoleServer.MAX_BODY_BYTES) + "\"}");
    assertEquals(413, oversized.status(), oversized.body());
    assertEquals("body", oversized.json().getString("parameter"));
    Reply longReason = call("POST", "/models/1/promote", adminToken,
        "{\"reason\":\"" + "x".repeat(ConsoleServer.MAX_REASON_LENGTH + 1) + "\"}");
    assertEquals(400, longReason.status());
    assertEquals("reason", longReason.json().getString("parameter"));
  }

  @Test
  void anUnknownApiPath_is404_andAWrongMethod_is405_inJson() throws Exception {
    Reply reply = call("GET", "/nonsense", readToken, null);
    assertEquals(404, reply.status());
    assertTrue(reply.json().getString("error").contains("openapi.yaml"), reply.body());
    Reply method = call("GET", "/models/1/promote", adminToken, null);
    assertEquals(405, method.status(), method.body());
    assertTrue(method.json().getString("error").contains("GET is not allowed on /api/v1/models/1/promote"),
        method.body());
    assertEquals(404, raw("GET", "/console/missing.js", null, null).status());
  }

  // ---- live events ----

  @Test
  void eventStream_deliveredTransitionsRoundsAndTheEndOfTheRun() throws Exception {
    assertTrue(streamSawRunFinished.await(30, TimeUnit.SECONDS), "no run-finished event: " + streamedLines);
    List<String> events = streamedLines.stream().filter(l -> l.startsWith("event: ")).toList();
    assertTrue(events.contains("event: transition"), events.toString());
    assertEquals(3, events.stream().filter(e -> e.equals("event: round")).count(), events.toString());
    assertEquals(2, events.stream().filter(e -> e.equals("event: committed")).count(), events.toString());
    assertTrue(events.contains("event: rejected"), events.toString());
    String roundData = streamedLines.get(streamedLines.indexOf("event: round") + 1);
    assertTrue(roundData.startsWith("data: {") && roundData.contains("\"kind\":\"statistics\""), roundData);
  }

  @Test
  void eventStream_withoutATicket_orWithAUsedOne_is401() throws Exception {
    Reply none = raw("GET", "/api/v1/events", null, null);
    assertEquals(401, none.status());
    assertEquals("ticket", none.json().getString("parameter"));
    Reply withToken = raw("GET", "/api/v1/events?access_token=" + readToken, readToken, null);
    assertEquals(401, withToken.status(), "the stream takes tickets only, never the long-lived token in a URL");
    String ticket = call("POST", "/events/tickets", readToken, null).json().getString("ticket");
    CompletableFuture<HttpResponse<Stream<String>>> first = http.sendAsync(
        HttpRequest.newBuilder(uri("/api/v1/events?ticket=" + ticket)).build(), HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
    Reply reused = raw("GET", "/api/v1/events?ticket=" + ticket, null, null);
    assertEquals(401, reused.status());
    assertTrue(reused.json().getString("error").contains("already used"), reused.body());
  }

  @Test
  void eventStream_endsOnceItsTokenIsRevoked() throws Exception {
    // given: an open stream of a token that is about to be revoked
    String doomed = tokens.create("streamer", OperatorRole.READ).secret();
    String ticket = call("POST", "/events/tickets", doomed, null).json().getString("ticket");
    HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(uri("/api/v1/events?ticket=" + ticket))
        .build(), HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, stream.statusCode());
    CompletableFuture<Long> ended = CompletableFuture.supplyAsync(() -> stream.body().count());
    // when
    OperatorTokens.open(tokens.file(), Clock.systemUTC()).revoke("streamer");
    // then: the server ends the stream at its next keep-alive check (the stream's line count completes)
    assertTrue(ended.get(30, TimeUnit.SECONDS) >= 1);
  }

  // ---- the OpenAPI document and the dashboard ----

  @Test
  void openApiDocument_describesExactlyTheRoutesTheRouterServes() throws Exception {
    Reply reply = raw("GET", "/api/v1/openapi.yaml", null, null);
    assertEquals(200, reply.status(), "the description is public");
    JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(reply.body());
    assertEquals("/api/v1", document.at("/servers/0/url").asText());
    Set<String> described = new TreeSet<>();
    for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
      String path = paths.next();
      for (Iterator<String> methods = document.get("paths").get(path).fieldNames(); methods.hasNext(); ) {
        described.add(methods.next().toUpperCase() + " /api/v1" + path);
      }
    }
    assertEquals(described, new TreeSet<>(console.apiRoutes()));
  }

  @Test
  void dashboard_isServedFromTheClasspath_withACspThatAllowsOnlyItsOwnScripts() throws Exception {
    Reply page = raw("GET", "/console/", null, null);
    assertEquals(200, page.status());
    assertTrue(page.body().contains("<title>"), page.body());
    String csp = page.headers().firstValue("content-security-policy").orElse("");
    assertTrue(csp.contains("script-src 'self'"), csp);
    Reply echarts = raw("GET", "/console/vendor/echarts/echarts.min.js", null, null);
    assertEquals(200, echarts.status());
    assertTrue(echarts.body().length() > 500_000, "the echarts webjar");
    assertEquals(302, raw("GET", "/", null, null).status());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void noTokenOrTicket_everReachesTheLogs_evenAtDebug() throws Exception {
    // given: a ticket issued and redeemed in this test, beside every request the other tests made
    String ticket = call("POST", "/events/tickets", readToken, null).json().getString("ticket");
    raw("GET", "/api/v1/events?ticket=" + ticket + "x", null, null);
    // then
    assertTrue(logs.list.size() > 10, "the capture works: " + logs.list.size() + " events");
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
          : ThrowableProxyUtil.asString(event.getThrowableProxy()));
      for (String secret : List.of(readToken, adminToken, ticket,
          readToken.substring(OperatorTokens.PREFIX.length()), adminToken.substring(OperatorTokens.PREFIX.length()))) {
        assertFalse(line.contains(secret), "a secret reached the log: " + event.getLoggerName());
      }
    }
  }

  // -----------------------------------------------------------------------------------------------------------

  private void assertBadRequest(String route, String parameter, String message) throws Exception {
    Reply reply = call("GET", route, readToken, null);
    assertEquals(400, reply.status(), route + " " + reply.body());
    assertEquals(parameter, reply.json().getString("parameter"), reply.body());
    assertTrue(reply.json().getString("error").contains(message), reply.body());
  }

  private record Reply(int status, String body, java.net.http.HttpHeaders headers) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private Reply call(String method, String route, String token, String body) throws Exception {
    return raw(method, "/api/v1" + route, token, body);
  }

  private Reply raw(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body(), response.headers());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:%d%s".formatted(console.port(), path));
  }
}
