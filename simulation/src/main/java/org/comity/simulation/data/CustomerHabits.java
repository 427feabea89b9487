package org.comity.simulation.data;

/**
 * One simulated customer's habits, fixed for the whole simulated period; the legitimate history is drawn from them.
 * Drawn so that a minority of customers behave in ways that overlap fraud: frequent travellers, VPN users whose
 * IP geolocation jumps, customers who change phones, who go quiet for weeks, or who move their salary on in a burst.
 */
record CustomerHabits(
    int homeCity,
    double usualAmount,
    double amountSigma,
    double transactionsPerDay,
    double onlineShare,
    double transferShare,
    double cashShare,
    double tripsPerDay,
    boolean vpnUser,
    double newDevicePerRemoteTransaction,
    boolean hasTablet,
    double smallPurchaseBurstsPerDay,
    double nightShare,
    double accountAgeDays,
    int salaryDay,
    double salaryMultiple,
    double billBurstAfterSalary,
    int dormantFromDay,
    int dormantDays) {

  static CustomerHabits draw(PopulationStyle style, RandomDraws random) {
    int home;
    if (random.chance(0.7)) {
      do {
        home = random.integer(0, Geography.cityCount() - 1);
      } while (Geography.cityDistance(home, style.regionCity()) > 700);
    } else {
      home = random.integer(0, Geography.cityCount() - 1);
    }
    boolean frequentTraveller = random.chance(0.15);
    boolean dormantSpell = random.chance(0.08);
    boolean bursty = random.chance(0.3);
    return new CustomerHabits(
        home,
        random.logNormal(40.0 * style.amountScale(), 0.7),
        random.uniform(0.35, 0.9),
        random.logNormal(1.3, 0.6),
        Math.min(0.7, random.uniform(0.08, 0.45) * style.onlineBias()),
        Math.min(0.3, random.uniform(0.03, 0.15) * style.onlineBias()),
        random.uniform(0.02, 0.1),
        frequentTraveller ? random.uniform(0.04, 0.12) : random.uniform(0.0, 0.01),
        random.chance(0.1),
        random.uniform(0.002, 0.02),
        random.chance(0.3),
        bursty ? random.uniform(0.05, 0.25) : random.uniform(0.0, 0.02),
        random.uniform(0.01, 0.12),
        random.uniform(20, 3000),
        random.integer(0, 29),
        random.uniform(12, 40),
        random.uniform(0.2, 0.8),
        dormantSpell ? random.integer(8, 45) : -1,
        dormantSpell ? random.integer(8, 22) : 0);
  }
}
