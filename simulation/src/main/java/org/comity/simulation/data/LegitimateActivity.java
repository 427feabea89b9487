package org.comity.simulation.data;

/**
 * Simulates a customer's legitimate history over {@link #SIMULATED_DAYS} days from their habits: daily purchases,
 * online payments, transfers to known (now and then new) payees, cash withdrawals, monthly salary and the bills
 * paid right after it, bursts of small purchases (transit, coffee), trips to other cities (with an airport
 * purchase before the flight), phone changes, VPN and mobile-carrier IP geolocation errors, forgotten passwords,
 * occasional big purchases and dormant spells. Rows are only taken from the last {@link #OUTPUT_DAYS} days, so
 * every row has at least {@link #WARM_UP_DAYS} days of history behind it.
 */
final class LegitimateActivity {
  static final int WARM_UP_DAYS = 30;
  static final int OUTPUT_DAYS = 30;
  static final int SIMULATED_DAYS = WARM_UP_DAYS + OUTPUT_DAYS;
  static final double OUTPUT_START_HOURS = WARM_UP_DAYS * 24.0;
  static final double END_HOURS = SIMULATED_DAYS * 24.0;

  private static final double BIG_PURCHASE_CHANCE = 0.01;
  private static final double NEW_PAYEE_CHANCE = 0.15;

  private final RandomDraws random;

  LegitimateActivity(RandomDraws random) {
    this.random = random;
  }

  Customer simulate(CustomerHabits habits) {
    Customer customer = new Customer(habits);
    Session session = new Session();
    int tripCity = -1;
    int tripEndDay = -1;
    for (int day = 0; day < SIMULATED_DAYS; day++) {
      if (habits.dormantFromDay() >= 0 && day >= habits.dormantFromDay()
          && day < habits.dormantFromDay() + habits.dormantDays()) {
        continue;
      }
      if (tripCity >= 0 && day >= tripEndDay) {
        tripCity = -1;
      }
      double dayStart = day * 24.0;
      if (tripCity < 0 && random.chance(habits.tripsPerDay())) {
        tripCity = Geography.otherCity(random, habits.homeCity(), 100);
        tripEndDay = day + random.integer(2, 7);
        double departure = dayStart + random.uniform(6, 12);
        if (random.chance(0.5)) { // airport coffee before the flight
          add(customer, session, departure, habits.homeCity(), TransactionEvent.Channel.CARD_PRESENT,
              random.uniform(3, 15));
        }
        double flightHours = Geography.cityDistance(habits.homeCity(), tripCity) / 750.0 + random.uniform(0.4, 2.0);
        add(customer, session, departure + flightHours, tripCity, TransactionEvent.Channel.CARD_PRESENT,
            amount(habits));
      }
      int city = tripCity >= 0 ? tripCity : habits.homeCity();
      if (day % 30 == habits.salaryDay()) {
        salaryAndBills(customer, session, dayStart + random.uniform(5, 9), city);
      }
      int count = random.poisson(habits.transactionsPerDay());
      for (int i = 0; i < count; i++) {
        add(customer, session, dayStart + hourOfDay(habits), city, channel(habits), amount(habits));
      }
      if (random.chance(habits.smallPurchaseBurstsPerDay())) {
        double t = dayStart + hourOfDay(habits);
        int burst = random.integer(3, 6);
        for (int i = 0; i < burst; i++) {
          TransactionEvent.Channel channel =
              random.chance(0.7) ? TransactionEvent.Channel.CARD_PRESENT : TransactionEvent.Channel.ONLINE;
          add(customer, session, t, city, channel, random.uniform(1.0, 8.0));
          t += random.exponential(0.15);
        }
      }
    }
    customer.sortHistory();
    reorderSessions(customer);
    return customer;
  }

  private void salaryAndBills(Customer customer, Session session, double t, int city) {
    CustomerHabits habits = customer.habits;
    TransactionEvent salary = new TransactionEvent();
    salary.hours = t;
    salary.amount = habits.usualAmount() * habits.salaryMultiple();
    salary.channel = TransactionEvent.Channel.INCOMING_CREDIT;
    salary.locationX = Geography.x(city);
    salary.locationY = Geography.y(city);
    salary.ipX = salary.locationX;
    salary.ipY = salary.locationY;
    customer.history.add(salary);
    if (random.chance(habits.billBurstAfterSalary())) {
      int bills = random.integer(2, 4);
      double billTime = t;
      for (int i = 0; i < bills; i++) {
        billTime += random.exponential(1.5);
        TransactionEvent.Channel channel =
            random.chance(0.8) ? TransactionEvent.Channel.TRANSFER : TransactionEvent.Channel.CASH_WITHDRAWAL;
        add(customer, session, billTime, city, channel, habits.usualAmount() * random.logNormal(3.0, 0.7));
      }
    }
  }

  private double amount(CustomerHabits habits) {
    double amount = random.logNormal(habits.usualAmount(), habits.amountSigma());
    if (random.chance(BIG_PURCHASE_CHANCE)) {
      amount *= random.uniform(4, 15);
    }
    return amount;
  }

  private TransactionEvent.Channel channel(CustomerHabits habits) {
    double u = random.uniform();
    if (u < habits.onlineShare()) {
      return TransactionEvent.Channel.ONLINE;
    }
    u -= habits.onlineShare();
    if (u < habits.transferShare()) {
      return TransactionEvent.Channel.TRANSFER;
    }
    u -= habits.transferShare();
    if (u < habits.cashShare()) {
      return TransactionEvent.Channel.CASH_WITHDRAWAL;
    }
    return TransactionEvent.Channel.CARD_PRESENT;
  }

  private double hourOfDay(CustomerHabits habits) {
    if (random.chance(habits.nightShare())) {
      return random.uniform(0, 6);
    }
    return Math.max(6, Math.min(23.9, 14 + 3.5 * random.gaussian()));
  }

  /**
   * Adds one outgoing event. Remote channels open a session (IP, device); in-person channels happen at a merchant
   * or ATM in {@code city}. Session attributes are assigned here in generation order and re-threaded in time order
   * by {@link #reorderSessions}.
   */
  private void add(Customer customer, Session session, double hours, int city,
      TransactionEvent.Channel channel, double amount) {
    CustomerHabits habits = customer.habits;
    TransactionEvent e = new TransactionEvent();
    e.hours = Math.min(hours, END_HOURS - 0.01);
    e.amount = channel == TransactionEvent.Channel.CASH_WITHDRAWAL ? Math.max(20, Math.round(amount / 20) * 20.0) : amount;
    e.channel = channel;
    if (e.remote()) {
      int ipCity = city;
      if (habits.vpnUser() && random.chance(0.5)) {
        ipCity = random.integer(0, Geography.cityCount() - 1);
      } else if (random.chance(0.03)) { // the carrier geolocates the phone to another city
        ipCity = random.integer(0, Geography.cityCount() - 1);
      }
      e.ipX = Geography.x(ipCity) + 20 * random.gaussian();
      e.ipY = Geography.y(ipCity) + 20 * random.gaussian();
      e.locationX = e.ipX;
      e.locationY = e.ipY;
      if (random.chance(habits.newDevicePerRemoteTransaction())) {
        e.device = customer.nextDevice++;
        session.phone = random.chance(0.7) ? e.device : session.phone; // a new phone, or a borrowed one
      } else if (habits.hasTablet() && random.chance(0.2)) {
        e.device = 1;
      } else {
        e.device = session.phone;
      }
      if (random.chance(0.02)) {
        e.failedLoginsBefore = random.integer(1, 2);
        e.credentialChange = random.chance(0.15);
      }
      if (channel == TransactionEvent.Channel.TRANSFER) {
        e.payee = customer.nextPayee == 0 || random.chance(NEW_PAYEE_CHANCE)
            ? customer.nextPayee++
            : random.integer(0, customer.nextPayee - 1);
      }
    } else {
      e.locationX = Geography.x(city) + 8 * random.gaussian();
      e.locationY = Geography.y(city) + 8 * random.gaussian();
      e.device = -1; // filled in by reorderSessions: in-person payments carry the last session's device and IP
    }
    customer.history.add(e);
  }

  /** In-person events inherit the IP and device of the latest remote session before them. */
  static void reorderSessions(Customer customer) {
    double ipX = Geography.x(customer.habits.homeCity());
    double ipY = Geography.y(customer.habits.homeCity());
    int device = 0;
    for (TransactionEvent e : customer.history) {
      if (e.remote()) {
        ipX = e.ipX;
        ipY = e.ipY;
        device = e.device;
      } else if (e.outgoing()) {
        e.ipX = ipX;
        e.ipY = ipY;
        e.device = device;
      }
    }
  }

  /** The customer's current phone while their history is generated (device 0 until they change phones). */
  private static final class Session {
    int phone;
  }
}
