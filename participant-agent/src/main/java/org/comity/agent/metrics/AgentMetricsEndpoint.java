package org.comity.agent.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the agent's {@code GET /metrics} (Prometheus text) and {@code GET /status} (the status document as JSON)
 * with Vert.x on its own port. Off unless the bank asks for it ({@code run --metrics-port}); it binds loopback by
 * default, since a bank's agent host usually accepts no inbound connection.
 */
public final class AgentMetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentMetricsEndpoint.class);
  private final Vertx vertx;
  private final HttpServer server;

  private AgentMetricsEndpoint(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /**
   * Starts serving on {@code host:port} (port 0: any free port).
   *
   * @param statusJson the current status document as JSON
   * @throws IllegalStateException when the address cannot be bound, naming it
   */
  public static AgentMetricsEndpoint start(AgentMetrics metrics, Supplier<String> statusJson, String host, int port) {
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape()));
    router.get("/status").handler(ctx -> ctx.response()
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(statusJson.get()));
    try {
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, host).await();
      log.info("agent metrics on http://{}:{}/metrics, status on /status", host, server.actualPort());
      return new AgentMetricsEndpoint(vertx, server);
    } catch (RuntimeException e) {
      vertx.close();
      throw new IllegalStateException("cannot serve metrics on %s:%d: %s".formatted(host, port, e.getMessage()), e);
    }
  }

  /** The bound port. */
  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
