package org.comity.coordinator.console;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.pki.EnrolledMember;
import org.comity.coordinator.round.RoundEngine;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RoundTransition;
import org.comity.coordinator.round.RunOutcome;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.BankPrivacySpec;
import org.comity.plan.FederationPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console: a JSON API under {@code /api/v1} (described in {@code /api/v1/openapi.yaml}) and a live
 * dashboard under {@code /console/}, served with Vert.x on its own port.
 *
 * <p><b>Access.</b> Every API route except the OpenAPI document needs an operator token ({@code Authorization:
 * Bearer ...}): none or an unknown one gets 401, a read token on an admin route 403. The event stream, which a
 * browser opens without headers, takes a single-use ticket from {@code POST /api/v1/events/tickets} instead. The
 * dashboard's static files hold no data and are served to anyone who reaches the port. Tokens are never logged;
 * Vert.x logs no request lines here.
 *
 * <p>Each route is a chain: authenticate, check the role, act. The act runs on a worker thread (the model catalog
 * and the audit trail may be a database), and its failures map to a JSON error in one place.
 */
public final class ConsoleServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsoleServer.class);
  static final String API = "/api/v1";
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;
  /** Largest request body: promote and roll back carry a reason, nothing bigger. */
  static final int MAX_BODY_BYTES = 4 * 1024;
  static final int MAX_REASON_LENGTH = 500;
  /** How often idle event streams get a comment line, and are checked for a revoked token. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final String OPERATOR = "comity.operator";
  private static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist";

  private final Vertx vertx;
  private final HttpServer server;
  private final Router router;
  private final ConsoleEvents events;

  private ConsoleServer(Vertx vertx, HttpServer server, Router router, ConsoleEvents events) {
    this.vertx = vertx;
    this.server = server;
    this.router = router;
    this.events = events;
  }

  /**
   * Starts serving the console of {@code coordinator}.
   *
   * @param events the listener registered with the coordinator's engine when it started
   * @throws IllegalStateException if the port cannot be bound (the message names address and port)
   */
  public static ConsoleServer start(CoordinatorServer coordinator, FederationPlan plan, ConsoleEvents events,
      ConsoleBackends backends, ConsoleOptions options, Clock clock) {
    return start(coordinator, plan, events, backends, options, clock, KEEP_ALIVE);
  }

  /** As above, with the period of event-stream keep-alives and revocation checks (tests shorten it). */
  static ConsoleServer start(CoordinatorServer coordinator, FederationPlan plan, ConsoleEvents events,
      ConsoleBackends backends, ConsoleOptions options, Clock clock, Duration keepAlive) {
    Vertx vertx = Vertx.vertx();
    try {
      Routes routes = new Routes(vertx, coordinator, plan, events, backends, clock);
      Router router = routes.build();
      HttpServerOptions serverOptions = new HttpServerOptions();
      if (options.tls()) {
        serverOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(options.tlsCertificate().toString()).setKeyPath(options.tlsKey().toString()));
      }
      HttpServer server = vertx.createHttpServer(serverOptions).requestHandler(router)
          .listen(options.port(), options.bindAddress()).await();
      vertx.setPeriodic(keepAlive.toMillis(), id -> vertx.executeBlocking(() -> {
        events.keepAlive(name -> {
          try {
            return backends.tokens().isActive(name);
          } catch (IOException e) {
            log.warn("operator tokens unreadable ({}); closing event streams", e.getMessage());
            return false;
          }
        });
        return null;
      }, false));
      log.info("operator console on {}://{}:{}/console/ (API {}/openapi.yaml)", options.tls() ? "https" : "http",
          options.bindAddress(), server.actualPort(), API);
      return new ConsoleServer(vertx, server, router, events);
    } catch (RuntimeException e) {
      vertx.close();
      throw new IllegalStateException("cannot serve the operator console on %s:%d: %s"
          .formatted(options.bindAddress(), options.port(), e.getMessage()), e);
    }
  }

  public int port() {
    return server.actualPort();
  }

  /** The API routes served, as {@code "GET /api/v1/models/{version}"}, for checking the OpenAPI document. */
  List<String> apiRoutes() {
    List<String> described = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null || !path.startsWith(API) || route.methods() == null) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        String entry = method.name() + " " + path.replaceAll(":([A-Za-z]+)", "{$1}");
        if (!described.contains(entry)) {
          described.add(entry);
        }
      }
    }
    return described;
  }

  @Override
  public void close() {
    events.closeAll();
    vertx.close().await();
  }

  /** The routes and their handlers. */
  private static final class Routes {
    private final Vertx vertx;
    private final CoordinatorServer coordinator;
    private final RoundEngine engine;
    private final FederationPlan plan;
    private final ConsoleEvents events;
    private final ConsoleBackends backends;
    private final Clock clock;
    private final EventTickets tickets;
    private final String openApi;
    private Router router;

    Routes(Vertx vertx, CoordinatorServer coordinator, FederationPlan plan, ConsoleEvents events,
        ConsoleBackends backends, Clock clock) {
      this.vertx = vertx;
      this.coordinator = coordinator;
      this.engine = coordinator.engine();
      this.plan = plan;
      this.events = events;
      this.backends = backends;
      this.clock = clock;
      this.tickets = new EventTickets(clock);
      this.openApi = resource("comity-console/openapi.yaml");
    }

    Router build() {
      router = Router.router(vertx);
      router.route().handler(ctx -> {
        ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("X-Frame-Options", "DENY")
            .putHeader("Referrer-Policy", "no-referrer");
        ctx.next();
      });
      router.get(API + "/openapi.yaml").handler(ctx -> ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml; charset=utf-8").end(openApi));
      read(HttpMethod.GET, "/whoami", ctx -> {
        OperatorToken.Operator operator = ctx.get(OPERATOR);
        return new JsonObject().put("name", operator.name()).put("role", operator.role().label());
      });
      read(HttpMethod.GET, "/run", ctx -> run());
      read(HttpMethod.GET, "/members", ctx -> members());
      read(HttpMethod.GET, "/rounds", ctx -> paged(ctx, engine.reports(), ConsoleJson::round));
      read(HttpMethod.GET, "/metrics", ctx -> paged(ctx, engine.reports().stream().filter(r -> r.round() > 0)
          .toList(), ConsoleJson::metricsPoint));
      read(HttpMethod.GET, "/privacy", ctx -> privacy());
      read(HttpMethod.GET, "/rejections", ctx -> rejections());
      read(HttpMethod.GET, "/models", this::models);
      read(HttpMethod.GET, "/models/:version", ctx -> {
        long version = versionParameter(ctx);
        ModelVersion found = coordinator.models().find(version).orElseThrow(() ->
            new ApiException(404, "version", "model version %d does not exist".formatted(version)));
        return ConsoleJson.version(found, backends.promotions().promotedVersion().orElse(-1L) == version);
      });
      read(HttpMethod.GET, "/runs", ctx -> {
        PageRequest page = PageRequest.of(ctx);
        Page<RunHistory.RunSummary> runs = backends.runs() != null
            ? backends.runs().page(page.offset(), page.limit())
            : Page.of(List.of(servedRun()), page.offset(), page.limit());
        return pageJson(ctx, runs, page, Routes::runSummary);
      });
      read(HttpMethod.GET, "/audit", ctx -> {
        PageRequest page = PageRequest.of(ctx);
        return pageJson(ctx, backends.auditReader().page(page.offset(), page.limit()), page, ConsoleJson::audit);
      });
      admin("/models/:version/promote", this::promote);
      admin("/models/rollback", this::rollback);
      read(HttpMethod.POST, "/events/tickets", ctx -> new JsonObject()
          .put("ticket", tickets.issue(ctx.get(OPERATOR)))
          .put("expiresInSeconds", EventTickets.TTL.toSeconds()));
      router.get(API + "/events").handler(this::events);
      router.route(API + "/*").failureHandler(this::failure);
      // No route matched the path (404) or none takes this method (405): JSON under the API, plain text elsewhere.
      router.errorHandler(404, ctx -> unrouted(ctx, 404, "no route %s %s; the routes are listed in %s/openapi.yaml"
          .formatted(ctx.request().method(), ctx.request().path(), API)));
      router.errorHandler(405, ctx -> unrouted(ctx, 405, "%s is not allowed on %s; see %s/openapi.yaml"
          .formatted(ctx.request().method(), ctx.request().path(), API)));

      // The dashboard: static files from the classpath (no CDN), so it works on a network without internet.
      router.get("/").handler(ctx -> ctx.redirect("/console/"));
      router.route("/console/vendor/echarts/*").handler(StaticHandler.create(ECHARTS).setCachingEnabled(true));
      router.route("/console/*").handler(ctx -> {
        ctx.response().putHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
        ctx.next();
      }).handler(StaticHandler.create("comity-console").setIndexPage("index.html").setCachingEnabled(false));
      return router;
    }

    // ---- chains: authenticate -> role -> act ----

    private void read(HttpMethod method, String path, Action action) {
      Route route = router.route(method, API + path);
      if (method == HttpMethod.POST) {
        // Vert.x runs body handlers before user handlers; the limit is checked on Content-Length before reading.
        route.handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false));
      }
      route.handler(this::authenticate).handler(ctx -> act(ctx, action));
    }

    private void admin(String path, Action action) {
      router.post(API + path)
          .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES).setHandleFileUploads(false))
          .handler(this::authenticate)
          .handler(ctx -> {
            OperatorToken.Operator operator = ctx.get(OPERATOR);
            if (!operator.role().permits(OperatorRole.ADMIN)) {
              ctx.fail(new ApiException(403, null, "operator '%s' has a read token; %s needs an admin token"
                  .formatted(operator.name(), ctx.request().path())));
              return;
            }
            ctx.next();
          })
          .handler(ctx -> act(ctx, action));
    }

    private void authenticate(RoutingContext ctx) {
      String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
      if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        ctx.fail(new ApiException(401, "Authorization",
            "an operator token is required: send 'Authorization: Bearer <token>' (create one with "
                + "'comity-coordinator operator token create')"));
        return;
      }
      String presented = header.substring(7).trim();
      vertx.executeBlocking(() -> backends.tokens().authenticate(presented), false).onComplete(result -> {
        if (result.failed()) {
          log.error("operator tokens cannot be read: {}", result.cause().getMessage());
          ctx.fail(new ApiException(503, null, "the console cannot read its operator tokens; see the coordinator log"));
        } else if (result.result().isEmpty()) {
          ctx.fail(new ApiException(401, "Authorization", "the operator token is unknown or revoked"));
        } else {
          ctx.put(OPERATOR, result.result().get());
          ctx.next();
        }
      });
    }

    private void act(RoutingContext ctx, Action action) {
      vertx.executeBlocking((Callable<Object>) () -> action.apply(ctx), false).onComplete(result -> {
        if (result.failed()) {
          ctx.fail(result.cause());
        } else {
          ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader("Cache-Control", "no-store")
              .end(((JsonObject) result.result()).encode());
        }
      });
    }

    private void failure(RoutingContext ctx) {
      Throwable failure = ctx.failure();
      int status;
      String message;
      String parameter = null;
      if (failure instanceof ApiException refused) {
        status = refused.status();
        message = refused.getMessage();
        parameter = refused.parameter();
      } else if (ctx.statusCode() == 413) {
        status = 413;
        message = "the request body is larger than %d bytes".formatted(MAX_BODY_BYTES);
        parameter = "body";
      } else if (ctx.statusCode() > 0 && ctx.statusCode() < 500) {
        status = ctx.statusCode();
        message = "request refused (HTTP %d)".formatted(status);
      } else {
        status = 500;
        message = "internal error; see the coordinator log";
        log.error("console request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      }
      if (ctx.response().headWritten()) {
        ctx.response().reset();
        return;
      }
      JsonObject body = new JsonObject().put("status", status).put("error", message);
      if (parameter != null) {
        body.put("parameter", parameter);
      }
      if (status == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"comity-console\"");
      }
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader("Cache-Control", "no-store").end(body.encode());
    }

    private void unrouted(RoutingContext ctx, int status, String message) {
      if (ctx.response().headWritten()) {
        return;
      }
      if (!ctx.request().path().startsWith(API + "/")) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
            .end(status == 404 ? "Not Found" : "Method Not Allowed");
        return;
      }
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader("Cache-Control", "no-store").end(new JsonObject().put("status", status).put("error", message)
              .encode());
    }

    // ---- actions ----

    private JsonObject run() {
      List<RoundReport> reports = engine.reports();
      RunOutcome outcome = engine.outcome();
      long committed = reports.stream().filter(r -> r.round() > 0 && r.outcome().name().equals("COMMITTED")).count();
      long failed = reports.stream().filter(r -> r.round() > 0 && r.outcome().name().equals("FAILED")).count();
      Optional<RoundTransition> current = events.currentRound();
      JsonObject currentJson = null;
      if (current.isPresent()) {
        RoundTransition transition = current.get();
        currentJson = new JsonObject().put("round", transition.round()).put("attempt", transition.attempt())
            .put("stage", transition.to().name()).put("since", transition.at().toString())
            .put("reason", transition.reason())
            .put("deadline", engine.currentStageDeadline().map(Object::toString).orElse(null));
      }
      // The statistics round sits in SELECTING until enough members have joined: that is the run waiting.
      boolean waiting = reports.isEmpty() && current.map(t -> t.round() == 0 && t.to().name().equals("SELECTING"))
          .orElse(true);
      String state = outcome != null ? "FINISHED" : waiting ? "WAITING" : "RUNNING";
      return new JsonObject()
          .put("runId", engine.runId())
          .put("planName", plan.name())
          .put("planHash", engine.planHash())
          .put("state", state)
          .put("outcome", ConsoleJson.outcome(outcome))
          .put("roundsPlanned", plan.rounds().count())
          .put("roundsDone", committed + failed)
          .put("roundsCommitted", committed)
          .put("roundsFailed", failed)
          .put("currentRound", currentJson)
          .put("currentRoundStatus", engine.currentRoundStatus())
          .put("latestVersion", coordinator.models().latest().map(ModelVersion::version).orElse(null))
          .put("promotedVersion", backends.promotions().promotedVersion().orElse(null))
          .put("connectedMembers", coordinator.members().connectedMembers().size())
          .put("minMembersToStart", plan.rounds().minMembersToStart())
          .put("secureAggregation", plan.secureAggregation().enabled())
          .put("bankLevelPrivacy", plan.bankPrivacy().enabled())
          .put("sampleLevelPrivacy", plan.samplePrivacy().enabled());
    }

    private JsonObject members() {
      Map<String, Instant> lastSeen = coordinator.members().lastSeen();
      List<String> connected = coordinator.members().connectedMembers();
      Map<String, EnrolledMember> certificates = new TreeMap<>();
      for (EnrolledMember enrolled : backends.roster().get()) {
        EnrolledMember known = certificates.get(enrolled.memberId());
        // Show the certificate that matters: an active one over a revoked one, then the one that expires last.
        if (known == null || rank(enrolled) > rank(known)) {
          certificates.put(enrolled.memberId(), enrolled);
        }
      }
      TreeMap<String, JsonObject> byId = new TreeMap<>();
      Instant now = clock.instant();
      for (String id : union(lastSeen.keySet(), certificates.keySet())) {
        EnrolledMember certificate = certificates.get(id);
        byId.put(id, new JsonObject()
            .put("id", id)
            .put("connected", connected.contains(id))
            .put("inSession", lastSeen.containsKey(id))
            .put("lastSeen", lastSeen.containsKey(id) ? lastSeen.get(id).toString() : null)
            .put("certificate", certificate == null ? null : new JsonObject()
                .put("serial", certificate.serial())
                .put("status", certificate.status().name())
                .put("notAfter", certificate.notAfter().toString())
                .put("daysLeft", Duration.between(now, certificate.notAfter()).toDays())));
      }
      return new JsonObject().put("members", new JsonArray(new ArrayList<>(byId.values())))
          .put("connected", connected.size()).put("rosterAvailable", !certificates.isEmpty());
    }

    private static long rank(EnrolledMember member) {
      return (member.status() == EnrolledMember.Status.ACTIVE ? Long.MAX_VALUE / 2 : 0)
          + member.notAfter().getEpochSecond() / 2;
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
      java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
      all.addAll(b);
      return List.copyOf(all);
    }

    private JsonObject privacy() {
      BankPrivacySpec bank = plan.bankPrivacy();
      double spent = engine.epsilonSpent();
      JsonArray perRound = new JsonArray();
      for (RoundReport report : engine.reports()) {
        if (report.round() > 0) {
          perRound.add(new JsonObject().put("round", report.round()).put("attempt", report.attempt())
              .put("epsilonSpent", ConsoleJson.number(report.epsilonSpent())));
        }
      }
      JsonObject byBank = new JsonObject();
      new TreeMap<>(engine.sampleEpsilonByBank()).forEach((member, epsilon) -> byBank.put(member, ConsoleJson.number(epsilon)));
      return new JsonObject()
          .put("bankLevel", new JsonObject()
              .put("enabled", bank.enabled())
              .put("epsilonSpent", ConsoleJson.number(spent))
              .put("targetEpsilon", bank.enabled() ? bank.targetEpsilon() : null)
              .put("delta", bank.enabled() ? bank.delta() : null)
              .put("remaining", bank.enabled() ? ConsoleJson.number(Math.max(0, bank.targetEpsilon() - spent)) : null)
              .put("noiseMultiplier", bank.enabled() ? bank.noiseMultiplier() : null)
              .put("participationRate", bank.enabled() ? bank.participationRate() : null)
              .put("perRound", perRound))
          .put("sampleLevel", new JsonObject()
              .put("enabled", plan.samplePrivacy().enabled())
              .put("epsilonByBank", byBank));
    }

    private JsonObject rejections() {
      Map<String, Long> counts = engine.rejections();
      return new JsonObject().put("total", counts.values().stream().mapToLong(Long::longValue).sum())
          .put("byReason", ConsoleJson.counts(counts));
    }

    private JsonObject models(RoutingContext ctx) {
      long promoted = backends.promotions().promotedVersion().orElse(-1L);
      JsonObject body = paged(ctx, coordinator.models().all(), v -> ConsoleJson.version(v, v.version() == promoted));
      JsonArray history = new JsonArray();
      backends.promotions().history().forEach(p -> history.add(ConsoleJson.promotion(p)));
      return body.put("promotedVersion", promoted < 0 ? null : promoted).put("promotions", history);
    }

    private JsonObject promote(RoutingContext ctx) {
      OperatorToken.Operator operator = ctx.get(OPERATOR);
      long version = versionParameter(ctx);
      String reason = reason(ctx);
      if (coordinator.models().find(version).isEmpty()) {
        throw new ApiException(404, "version", "model version %d does not exist".formatted(version));
      }
      Promotion promotion;
      try {
        promotion = backends.promotions().promote(version, operator.name(), reason);
      } catch (ModelPromotions.UnknownVersionException e) {
        throw new ApiException(404, "version", e.getMessage());
      } catch (ModelPromotions.RefusedException e) {
        throw new ApiException(409, "version", e.getMessage());
      }
      return recorded(operator, "model.promote", promotion);
    }

    private JsonObject rollback(RoutingContext ctx) {
      OperatorToken.Operator operator = ctx.get(OPERATOR);
      String reason = reason(ctx);
      Promotion promotion;
      try {
        promotion = backends.promotions().rollback(operator.name(), reason);
      } catch (ModelPromotions.NothingToRollBackException e) {
        throw new ApiException(409, null, e.getMessage());
      }
      return recorded(operator, "model.rollback", promotion);
    }

    /** Writes the audit entry of an admin action and tells the dashboards. */
    private JsonObject recorded(OperatorToken.Operator operator, String action, Promotion promotion) {
      JsonObject details = new JsonObject().put("reason", promotion.reason())
          .put("previousVersion", promotion.previousVersion());
      AuditEntry entry;
      try {
        entry = backends.auditWriter().append(operator.name(), action, "model/" + promotion.version(),
            details.encode());
      } catch (RuntimeException e) {
        log.error("{} of version {} by {} was applied but its audit entry failed", action, promotion.version(),
            operator.name(), e);
        throw new ApiException(500, null, "%s of version %d was applied but could not be written to the audit "
            + "trail; see the coordinator log".formatted(action, promotion.version()));
      }
      log.info("operator {}: {} version {} (audit #{})", operator.name(), action, promotion.version(), entry.sequence());
      JsonObject json = ConsoleJson.promotion(promotion).put("auditSequence", entry.sequence());
      events.publish("promotion", json);
      return json;
    }

    private void events(RoutingContext ctx) {
      String ticket = ctx.request().getParam("ticket");
      if (ticket == null) {
        ctx.fail(new ApiException(401, "ticket", "the event stream needs a ticket from POST " + API
            + "/events/tickets (a browser's EventSource cannot send the token header)"));
        return;
      }
      Optional<OperatorToken.Operator> operator = tickets.redeem(ticket);
      if (operator.isEmpty()) {
        ctx.fail(new ApiException(401, "ticket", "the ticket is unknown, expired or already used; get a new one"));
        return;
      }
      ctx.response().setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .putHeader("Cache-Control", "no-store")
          .putHeader("X-Accel-Buffering", "no");
      ctx.response().write(": stream of run " + engine.runId() + "\nretry: 3000\n\n");
      events.subscribe(ctx.response(), operator.get());
    }

    // ---- parameters ----

    private static long versionParameter(RoutingContext ctx) {
      String text = ctx.pathParam("version");
      try {
        long version = Long.parseLong(text);
        if (version >= 1) {
          return version;
        }
      } catch (NumberFormatException e) {
        // falls through to the refusal below, which names the parameter
      }
      throw new ApiException(400, "version", "path parameter 'version' must be a positive integer, got '%s'"
          .formatted(text));
    }

    private static String reason(RoutingContext ctx) {
      JsonObject body;
      try {
        body = ctx.body().asJsonObject();
      } catch (DecodeException | ClassCastException e) {
        throw new ApiException(400, "body", "the request body must be a JSON object like {\"reason\": \"...\"}");
      }
      if (body == null) {
        throw new ApiException(400, "body", "the request body must be a JSON object like {\"reason\": \"...\"}");
      }
      Object reason = body.getValue("reason");
      if (!(reason instanceof String text) || text.isBlank()) {
        throw new ApiException(400, "reason", "body field 'reason' must be a non-empty string: say why");
      }
      if (text.length() > MAX_REASON_LENGTH) {
        throw new ApiException(400, "reason", "body field 'reason' must be at most %d characters, got %d"
            .formatted(MAX_REASON_LENGTH, text.length()));
      }
      for (String field : body.fieldNames()) {
        if (!field.equals("reason")) {
          throw new ApiException(400, field, "unknown body field '%s'; only 'reason' is accepted".formatted(field));
        }
      }
      return text.strip();
    }

    /** The run this console serves, as a run summary (when there is no store to list runs from). */
    private RunHistory.RunSummary servedRun() {
      RunOutcome outcome = engine.outcome();
      List<RoundReport> reports = engine.reports();
      int committed = (int) reports.stream().filter(r -> r.round() > 0 && r.outcome() == RoundPhase.COMMITTED).count();
      int failed = (int) reports.stream().filter(r -> r.round() > 0 && r.outcome() == RoundPhase.FAILED).count();
      return new RunHistory.RunSummary(engine.runId(), engine.planHash(), engine.runStartedAt(), null,
          outcome == null ? null : outcome.completed(), outcome == null ? null : outcome.reason(), committed, failed);
    }

    private static JsonObject runSummary(RunHistory.RunSummary run) {
      return new JsonObject().put("runId", run.runId()).put("planHash", run.planHash())
          .put("startedAt", run.startedAt().toString())
          .put("finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString())
          .put("completed", run.completed()).put("outcome", run.outcome())
          .put("committedRounds", run.committedRounds()).put("failedRounds", run.failedRounds());
    }

    private <T> JsonObject paged(RoutingContext ctx, List<T> all, java.util.function.Function<T, JsonObject> view) {
      PageRequest page = PageRequest.of(ctx);
      return pageJson(ctx, Page.of(all, page.offset(), page.limit()), page, view);
    }

    private static <T> JsonObject pageJson(RoutingContext ctx, Page<T> page, PageRequest request,
        java.util.function.Function<T, JsonObject> view) {
      JsonArray items = new JsonArray();
      page.items().forEach(item -> items.add(view.apply(item)));
      long nextOffset = page.offset() + page.items().size();
      String next = nextOffset < page.total()
          ? "%s?offset=%d&limit=%d".formatted(ctx.request().path(), nextOffset, request.limit()) : null;
      return new JsonObject().put("items", items).put("offset", page.offset()).put("limit", request.limit())
          .put("total", page.total()).put("next", next);
    }

    private static String resource(String name) {
      try (InputStream in = ConsoleServer.class.getClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("the console resource " + name + " is missing from the classpath");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** One route's work, run on a worker thread; returns the JSON body or throws {@link ApiException}. */
  @FunctionalInterface
  private interface Action {
    JsonObject apply(RoutingContext ctx) throws Exception;
  }

  /**
   * The {@code offset} and {@code limit} query parameters.
   *
   * @param offset index of the first entry, default 0
   * @param limit entries per page, default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}
   */
  record PageRequest(long offset, int limit) {
    static PageRequest of(RoutingContext ctx) {
      long offset = parse(ctx, "offset", 0, 0, Integer.MAX_VALUE);
      long limit = parse(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
      return new PageRequest(offset, (int) limit);
    }

    private static long parse(RoutingContext ctx, String name, long fallback, long min, long max) {
      List<String> values = ctx.queryParam(name);
      if (values.isEmpty()) {
        return fallback;
      }
      if (values.size() > 1) {
        throw new ApiException(400, name, "query parameter '%s' is given %d times; give it once"
            .formatted(name, values.size()));
      }
      String text = values.get(0);
      long value;
      try {
        value = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new ApiException(400, name, "query parameter '%s' must be an integer %d-%d, got '%s'"
            .formatted(name, min, max, text));
      }
      if (value < min || value > max) {
        throw new ApiException(400, name, "query parameter '%s' must be %d-%d, got %d"
            .formatted(name, min, max, value));
      }
      return value;
    }
  }
}
