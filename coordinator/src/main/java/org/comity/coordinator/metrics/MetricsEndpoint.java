package org.comity.coordinator.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves {@code GET /metrics} in the Prometheus text format with Vert.x, on its own port. */
public final class MetricsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
  private final Vertx vertx;
  private final HttpServer server;

  private MetricsEndpoint(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** Starts serving {@code metrics} on {@code host:port} (port 0: any free port). */
  public static MetricsEndpoint start(CoordinatorMetrics metrics, String host, int port) {
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.scrape()));
    try {
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, host).await();
      log.info("Prometheus metrics on http://{}:{}/metrics", host, server.actualPort());
      return new MetricsEndpoint(vertx, server);
    } catch (RuntimeException e) {
      vertx.close();
      throw new IllegalStateException("cannot serve metrics on %s:%d: %s".formatted(host, port, e.getMessage()), e);
    }
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
