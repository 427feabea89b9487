package org.comity.coordinator.console;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Promotions in memory, lost when the coordinator stops: the default until the persistent model catalog is bound.
 * A roll back pops the promotion stack, so promote 3, promote 5, roll back gives 3, and a second roll back with
 * nothing left under 3 is refused. Thread-safe.
 */
public final class InMemoryModelPromotions implements ModelPromotions {
  private final LongPredicate exists;
  private final Clock clock;
  private final Deque<Long> promoted = new ArrayDeque<>();
  private final List<Promotion> history = new ArrayList<>();

  /** @param exists whether a model version with this number was committed */
  public InMemoryModelPromotions(LongPredicate exists, Clock clock) {
    this.exists = exists;
    this.clock = clock;
  }

  @Override
  public synchronized Promotion promote(long version, String actor, String reason) {
    if (!exists.test(version)) {
      throw new UnknownVersionException("model version %d does not exist".formatted(version));
    }
    Promotion promotion = new Promotion(Promotion.Action.PROMOTE, version, promoted.peek(), actor, reason,
        clock.instant());
    promoted.push(version);
    history.add(promotion);
    return promotion;
  }

  @Override
  public synchronized Promotion rollback(String actor, String reason) {
    if (promoted.size() < 2) {
      throw new NothingToRollBackException(promoted.isEmpty() ? "no model version has been promoted"
          : "version %d is the first promoted version; there is nothing to roll back to".formatted(promoted.peek()));
    }
    long current = promoted.peek();
    Promotion rollback = new Promotion(Promotion.Action.ROLLBACK, getPrevious(), current, actor, reason,
        clock.instant());
    promoted.pop();
    history.add(rollback);
    return rollback;
  }

  private long getPrevious() {
    var iterator = promoted.iterator();
    iterator.next();
    return iterator.next();
  }

  @Override
  public synchronized Optional<Long> promotedVersion() {
    return Optional.ofNullable(promoted.peek());
  }

  @Override
  public synchronized List<Promotion> history() {
    return List.copyOf(history);
  }
}
