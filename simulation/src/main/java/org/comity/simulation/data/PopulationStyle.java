package org.comity.simulation.data;

/**
 * What makes one bank's customers differ from another's besides fraud: the region most of them live in, how much
 * they usually spend, and how much of their banking is online. Gives the consortium feature skew on top of the
 * label and pattern skew.
 *
 * @param regionCity the city most customers live near
 * @param amountScale multiplier on the customers' usual amounts (1 = consortium median)
 * @param onlineBias multiplier on the customers' share of online and transfer payments
 */
record PopulationStyle(int regionCity, double amountScale, double onlineBias) {
  PopulationStyle {
    if (regionCity < 0 || regionCity >= Geography.cityCount()) {
      throw new IllegalArgumentException(
          "regionCity must be in [0, %d), got %d".formatted(Geography.cityCount(), regionCity));
    }
    if (!(amountScale > 0) || !(onlineBias > 0)) {
      throw new IllegalArgumentException(
          "amountScale and onlineBias must be > 0, got %s and %s".formatted(amountScale, onlineBias));
    }
  }

  static PopulationStyle draw(RandomDraws random) {
    return new PopulationStyle(
        random.integer(0, Geography.cityCount() - 1),
        random.logNormal(1.0, 0.25),
        random.logNormal(1.0, 0.25));
  }
}
