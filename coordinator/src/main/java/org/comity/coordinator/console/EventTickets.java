package org.comity.coordinator.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Single-use, short-lived tickets that open one event stream.
 *
 * <p>Why: a browser's {@code EventSource} cannot send an {@code Authorization} header, so the stream must be
 * authenticated by its URL. Putting the operator's long-lived token in a URL would leave it in browser history and
 * proxy logs; a ticket is worth one stream, for {@link #TTL}, and is useless once redeemed. Thread-safe.
 */
final class EventTickets {
  static final Duration TTL = Duration.ofSeconds(60);
  /** Bound on outstanding tickets, so a token holder cannot make the console hold unbounded state. */
  static final int MAX_OUTSTANDING = 1_000;

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Held> outstanding = new HashMap<>();

  EventTickets(Clock clock) {
    this.clock = clock;
  }

  /** Issues a ticket for {@code operator}; the oldest outstanding ticket is dropped when too many are held. */
  synchronized String issue(OperatorToken.Operator operator) {
    Instant now = clock.instant();
    outstanding.values().removeIf(held -> !held.expires().isAfter(now));
    if (outstanding.size() >= MAX_OUTSTANDING) {
      outstanding.entrySet().stream().min(Map.Entry.comparingByValue((a, b) -> a.expires().compareTo(b.expires())))
          .ifPresent(oldest -> outstanding.remove(oldest.getKey()));
    }
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    outstanding.put(ticket, new Held(operator, now.plus(TTL)));
    return ticket;
  }

  /** The operator of a valid ticket; the ticket is spent either way. */
  synchronized Optional<OperatorToken.Operator> redeem(String ticket) {
    if (ticket == null) {
      return Optional.empty();
    }
    Held held = outstanding.remove(ticket);
    if (held == null || !held.expires().isAfter(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(held.operator());
  }

  private record Held(OperatorToken.Operator operator, Instant expires) {}
}
