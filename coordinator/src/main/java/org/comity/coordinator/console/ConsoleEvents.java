package org.comity.coordinator.console;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.RoundListener;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RoundTransition;
import org.comity.coordinator.round.RunOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes what the round engine does to the dashboards that listen on {@code GET /api/v1/events} (server-sent
 * events), and remembers the round in progress for {@code GET /api/v1/run}.
 *
 * <p>Register it with the engine when the coordinator starts, before the console serves, so that no transition is
 * missed. The engine calls it under its lock: every method here only formats and queues bytes, never waits for a
 * client. A client whose send queue is full (a stalled browser) is disconnected rather than buffered without bound;
 * its {@code EventSource} reconnects and reloads the state.
 *
 * <p>Events: {@code transition} (a round changed stage), {@code round} (a round finished, with its report),
 * {@code committed} (a model version), {@code rejected} (a result was refused), {@code run-finished},
 * {@code promotion} (an admin changed the promoted version).
 */
public final class ConsoleEvents implements RoundListener {
  private static final Logger log = LoggerFactory.getLogger(ConsoleEvents.class);

  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private volatile RoundTransition current;

  /** The latest transition of the round in progress, or empty between rounds. */
  public Optional<RoundTransition> currentRound() {
    RoundTransition last = current;
    return last == null || last.to().isTerminal() ? Optional.empty() : Optional.of(last);
  }

  /** How many event streams are open. */
  public int subscriberCount() {
    return subscribers.size();
  }

  @Override
  public void onTransition(RoundTransition transition) {
    current = transition;
    publish("transition", ConsoleJson.transition(transition));
  }

  @Override
  public void onRoundFinished(RoundReport report) {
    publish("round", ConsoleJson.round(report));
  }

  @Override
  public void onCommitted(ModelVersion version) {
    publish("committed", new JsonObject().put("version", version.version()).put("round", version.round()));
  }

  @Override
  public void onRejected(String reasonCode) {
    publish("rejected", new JsonObject().put("reason", reasonCode));
  }

  @Override
  public void onRunFinished(RunOutcome outcome) {
    publish("run-finished", ConsoleJson.outcome(outcome));
  }

  /** Sends one event to every open stream. */
  void publish(String event, JsonObject data) {
    String frame = "event: " + event + "\ndata: " + data.encode() + "\n\n";
    for (Subscriber subscriber : subscribers) {
      send(subscriber, frame);
    }
  }

  /** Starts streaming to {@code response}, which must already carry the event-stream headers. */
  void subscribe(HttpServerResponse response, OperatorToken.Operator operator) {
    Subscriber subscriber = new Subscriber(response, operator);
    subscribers.add(subscriber);
    response.closeHandler(v -> subscribers.remove(subscriber));
    response.exceptionHandler(e -> subscribers.remove(subscriber));
  }

  /** Keeps idle streams open through proxies and closes those whose token was revoked. */
  void keepAlive(java.util.function.Predicate<String> stillActive) {
    for (Subscriber subscriber : subscribers) {
      if (!stillActive.test(subscriber.operator().name())) {
        log.info("event stream of operator {} closed: its token was revoked", subscriber.operator().name());
        drop(subscriber);
      } else {
        send(subscriber, ": keep-alive\n\n");
      }
    }
  }

  /** Closes every stream (the console is stopping). */
  void closeAll() {
    for (Subscriber subscriber : subscribers) {
      drop(subscriber);
    }
  }

  private void send(Subscriber subscriber, String frame) {
    try {
      if (subscriber.response().writeQueueFull()) {
        log.info("event stream of operator {} closed: the client does not keep up", subscriber.operator().name());
        drop(subscriber);
        return;
      }
      subscriber.response().write(frame);
    } catch (RuntimeException e) {
      // The connection closed between the check and the write; the close handler removes it.
      subscribers.remove(subscriber);
    }
  }

  private void drop(Subscriber subscriber) {
    subscribers.remove(subscriber);
    try {
      subscriber.response().end();
    } catch (RuntimeException e) {
      log.debug("event stream already closed: {}", e.toString());
    }
  }

  private record Subscriber(HttpServerResponse response, OperatorToken.Operator operator) {}
}
