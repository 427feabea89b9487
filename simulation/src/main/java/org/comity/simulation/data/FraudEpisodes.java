package org.comity.simulation.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Plants one fraud episode of a given {@link FraudPattern} into a customer's history at a given time. Every signal
 * of a pattern is present only with some probability and at magnitudes that legitimate customers also reach (see
 * {@link LegitimateActivity}), so that each pattern is learnable from a combination of features but no single
 * feature gives the label. The probabilities below are the calibration knobs (see {@code docs/SYNTHETIC_DATA.md}).
 */
final class FraudEpisodes {
  /** Share of episodes, of every pattern, that copy the customer's habits instead of the pattern's signature. */
  static final double CAREFUL_SHARE = 0.10;

  private final RandomDraws random;

  FraudEpisodes(RandomDraws random) {
    this.random = random;
  }

  /**
   * Adds the episode's events (all labelled fraud) to {@code customer}'s history, re-sorts it and returns the fraud
   * events in time order.
   */
  List<TransactionEvent> plant(Customer customer, FraudPattern pattern, double startHours) {
    customer.sortHistory();
    List<TransactionEvent> fraud;
    if (random.chance(CAREFUL_SHARE)) {
      fraud = careful(customer, startHours);
    } else {
      fraud = typical(customer, pattern, startHours);
    }
    for (TransactionEvent e : fraud) {
      e.fraud = true;
      e.hours = Math.min(e.hours, LegitimateActivity.END_HOURS - 0.01);
    }
    customer.history.addAll(fraud);
    customer.sortHistory();
    LegitimateActivity.reorderSessions(customer);
    customer.hasFraudEpisode = true;
    return fraud;
  }

  private List<TransactionEvent> typical(Customer customer, FraudPattern pattern, double startHours) {
    List<TransactionEvent> fraud;
    switch (pattern) {
      case ACCOUNT_TAKEOVER:
        fraud = accountTakeover(customer, startHours);
        break;
      case CARD_TESTING:
        fraud = cardTesting(customer, startHours);
        break;
      case IMPOSSIBLE_TRAVEL:
        fraud = impossibleTravel(customer, startHours);
        break;
      case BUST_OUT:
        fraud = bustOut(customer, startHours);
        break;
      case MULE_CASH_OUT:
        fraud = muleCashOut(customer, startHours);
        break;
      default:
        throw new AssertionError(pattern);
    }
    return fraud;
  }

  /**
   * A careful fraudster: one or two payments that copy the customer's habits (own device, home location, near-usual
   * amounts, known payees), e.g. a takeover from the customer's own compromised phone. Caps how well any model can
   * do, as in real data, where some fraud is indistinguishable from the customer.
   */
  private List<TransactionEvent> careful(Customer customer, double t) {
    CustomerHabits habits = customer.habits;
    int device = lastDevice(customer, t);
    List<TransactionEvent> events = new ArrayList<>();
    int count = random.integer(1, 2);
    for (int i = 0; i < count; i++) {
      double amount = habits.usualAmount() * random.logNormal(1.3, 0.5);
      TransactionEvent e;
      double u = random.uniform();
      if (u < habits.onlineShare() + habits.transferShare()) {
        boolean transfer = u >= habits.onlineShare();
        e = remote(transfer ? TransactionEvent.Channel.TRANSFER : TransactionEvent.Channel.ONLINE, t, amount,
            Geography.x(habits.homeCity()) + 20 * random.gaussian(),
            Geography.y(habits.homeCity()) + 20 * random.gaussian(), device);
        if (transfer) {
          e.payee = customer.nextPayee == 0 ? customer.nextPayee++ : random.integer(0, customer.nextPayee - 1);
        }
      } else {
        e = new TransactionEvent();
        e.hours = t;
        e.channel = TransactionEvent.Channel.CARD_PRESENT;
        e.amount = amount;
        e.locationX = Geography.x(habits.homeCity()) + 8 * random.gaussian();
        e.locationY = Geography.y(habits.homeCity()) + 8 * random.gaussian();
      }
      events.add(e);
      t += random.exponential(3.0);
    }
    return events;
  }

  private List<TransactionEvent> accountTakeover(Customer customer, double t) {
    CustomerHabits habits = customer.habits;
    int device = random.chance(0.5) ? customer.nextDevice++ : lastDevice(customer, t);
    int city = random.chance(0.4) ? Geography.otherCity(random, habits.homeCity(), 300) : habits.homeCity();
    double ipX = Geography.x(city) + 20 * random.gaussian();
    double ipY = Geography.y(city) + 20 * random.gaussian();
    if (random.chance(0.3)) {
      t = Math.floor(t / 24) * 24 + random.uniform(0, 6); // at night
    }
    int failedLogins = random.chance(0.25) ? random.integer(1, 4) : 0;
    boolean credentialChange = random.chance(0.2);
    int payee = random.chance(0.45) ? customer.nextPayee++ : Math.max(0, customer.nextPayee - 1);
    int count = random.integer(1, 3);
    List<TransactionEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TransactionEvent e = remote(random.chance(0.8) ? TransactionEvent.Channel.TRANSFER : TransactionEvent.Channel.ONLINE,
          t, habits.usualAmount() * random.logNormal(1.5, 0.8), ipX, ipY, device);
      if (e.channel == TransactionEvent.Channel.TRANSFER) {
        e.payee = payee;
      }
      if (i == 0) {
        e.failedLoginsBefore = failedLogins;
        e.credentialChange = credentialChange;
      }
      events.add(e);
      t += random.exponential(0.4);
    }
    return events;
  }

  private List<TransactionEvent> cardTesting(Customer customer, double t) {
    int device = random.chance(0.3) ? customer.nextDevice++ : lastDevice(customer, t);
    int city = random.chance(0.3)
        ? Geography.otherCity(random, customer.habits.homeCity(), 0)
        : customer.habits.homeCity();
    double ipX = Geography.x(city) + 20 * random.gaussian();
    double ipY = Geography.y(city) + 20 * random.gaussian();
    List<TransactionEvent> events = new ArrayList<>();
    int probes = random.integer(1, 3);
    for (int i = 0; i < probes; i++) {
      events.add(remote(TransactionEvent.Channel.ONLINE, t, random.uniform(0.5, 5.0), ipX, ipY, device));
      t += random.exponential(0.08);
    }
    t += random.exponential(0.3);
    events.add(remote(TransactionEvent.Channel.ONLINE, t,
        customer.habits.usualAmount() * random.logNormal(1.8, 0.8), ipX, ipY, device));
    return events;
  }

  private List<TransactionEvent> impossibleTravel(Customer customer, double t) {
    CustomerHabits habits = customer.habits;
    TransactionEvent genuine = customer.lastBefore(t, true);
    if (genuine != null) {
      t = genuine.hours + random.uniform(0.5, 8.0);
    }
    int city = Geography.otherCity(random, habits.homeCity(), random.chance(0.4) ? 900 : 300);
    List<TransactionEvent> events = new ArrayList<>();
    int count = random.integer(1, 3);
    for (int i = 0; i < count; i++) {
      TransactionEvent e = new TransactionEvent();
      e.hours = t;
      e.channel = random.chance(0.35) ? TransactionEvent.Channel.CASH_WITHDRAWAL : TransactionEvent.Channel.CARD_PRESENT;
      double amount = habits.usualAmount() * random.logNormal(1.2, 0.8);
      e.amount = e.channel == TransactionEvent.Channel.CASH_WITHDRAWAL ? Math.max(20, Math.round(amount / 20) * 20.0) : amount;
      e.locationX = Geography.x(city) + 8 * random.gaussian();
      e.locationY = Geography.y(city) + 8 * random.gaussian();
      events.add(e);
      t += random.exponential(0.5);
    }
    return events;
  }

  private List<TransactionEvent> bustOut(Customer customer, double t) {
    CustomerHabits habits = customer.habits;
    double quietHours = random.uniform(5, 20) * 24;
    customer.history.removeIf(e -> e.hours >= t - quietHours && e.hours < t && !e.fraud);
    int device = random.chance(0.3) ? customer.nextDevice++ : lastDevice(customer, t);
    List<TransactionEvent> events = new ArrayList<>();
    int count = random.integer(1, 4);
    double time = t;
    for (int i = 0; i < count; i++) {
      double amount = habits.usualAmount() * random.logNormal(1.8, 0.8);
      double u = random.uniform();
      TransactionEvent e;
      if (u < 0.4) {
        e = new TransactionEvent();
        e.hours = time;
        e.channel = TransactionEvent.Channel.CARD_PRESENT;
        e.amount = amount;
        e.locationX = Geography.x(habits.homeCity()) + 8 * random.gaussian();
        e.locationY = Geography.y(habits.homeCity()) + 8 * random.gaussian();
      } else if (u < 0.6) {
        e = new TransactionEvent();
        e.hours = time;
        e.channel = TransactionEvent.Channel.CASH_WITHDRAWAL;
        e.amount = Math.max(20, Math.round(amount / 20) * 20.0);
        e.locationX = Geography.x(habits.homeCity()) + 8 * random.gaussian();
        e.locationY = Geography.y(habits.homeCity()) + 8 * random.gaussian();
      } else {
        e = remote(TransactionEvent.Channel.ONLINE, time, amount,
            Geography.x(habits.homeCity()) + 20 * random.gaussian(),
            Geography.y(habits.homeCity()) + 20 * random.gaussian(), device);
        e.credentialChange = i == 0 && random.chance(0.3);
      }
      events.add(e);
      time += random.exponential(4.0);
    }
    return events;
  }

  private List<TransactionEvent> muleCashOut(Customer customer, double t) {
    CustomerHabits habits = customer.habits;
    TransactionEvent credit = new TransactionEvent();
    credit.hours = t;
    credit.channel = TransactionEvent.Channel.INCOMING_CREDIT;
    credit.amount = habits.usualAmount() * random.logNormal(10, 0.7);
    credit.locationX = Geography.x(habits.homeCity());
    credit.locationY = Geography.y(habits.homeCity());
    credit.ipX = credit.locationX;
    credit.ipY = credit.locationY;
    customer.history.add(credit); // history only: an incoming credit is not a row
    int device = random.chance(0.35) ? customer.nextDevice++ : lastDevice(customer, t);
    List<TransactionEvent> events = new ArrayList<>();
    int count = random.integer(2, 4);
    double time = t + random.uniform(0.2, 10.0);
    for (int i = 0; i < count; i++) {
      double amount = credit.amount * random.uniform(0.1, 0.3);
      TransactionEvent e;
      if (random.chance(0.7)) {
        e = remote(TransactionEvent.Channel.TRANSFER, time, amount,
            Geography.x(habits.homeCity()) + 20 * random.gaussian(),
            Geography.y(habits.homeCity()) + 20 * random.gaussian(), device);
        e.payee = random.chance(0.4) || customer.nextPayee == 0 ? customer.nextPayee++ : random.integer(0, customer.nextPayee - 1);
      } else {
        e = new TransactionEvent();
        e.hours = time;
        e.channel = TransactionEvent.Channel.CASH_WITHDRAWAL;
        e.amount = Math.max(20, Math.round(amount / 20) * 20.0);
        e.locationX = Geography.x(habits.homeCity()) + 8 * random.gaussian();
        e.locationY = Geography.y(habits.homeCity()) + 8 * random.gaussian();
      }
      events.add(e);
      time += random.exponential(0.6);
    }
    return events;
  }

  private static TransactionEvent remote(TransactionEvent.Channel channel, double hours, double amount,
      double ipX, double ipY, int device) {
    TransactionEvent e = new TransactionEvent();
    e.hours = hours;
    e.channel = channel;
    e.amount = amount;
    e.ipX = ipX;
    e.ipY = ipY;
    e.locationX = ipX;
    e.locationY = ipY;
    e.device = device;
    return e;
  }

  private static int lastDevice(Customer customer, double hours) {
    int device = 0;
    for (TransactionEvent e : customer.history) {
      if (e.hours >= hours) {
        break;
      }
      if (e.remote()) {
        device = e.device;
      }
    }
    return device;
  }
}
