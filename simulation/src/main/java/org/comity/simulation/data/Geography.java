package org.comity.simulation.data;

/**
 * A fixed map of twelve cities on a plane, in kilometres (roughly the spread of a large country), so that
 * distances, travel speeds and IP geolocation jumps have realistic magnitudes.
 */
final class Geography {
  private static final double[][] CITIES = {
    {0, 0}, {110, 60}, {320, -150}, {650, 90}, {900, 420}, {1200, -80},
    {1500, 300}, {1850, -260}, {2100, 150}, {2400, 520}, {2750, -120}, {3000, 300}
  };

  private Geography() {}

  static int cityCount() {
    return CITIES.length;
  }

  static double x(int city) {
    return CITIES[city][0];
  }

  static double y(int city) {
    return CITIES[city][1];
  }

  static double distance(double x1, double y1, double x2, double y2) {
    return Math.hypot(x1 - x2, y1 - y2);
  }

  static double cityDistance(int a, int b) {
    return distance(x(a), y(a), x(b), y(b));
  }

  /** The city nearest to a point: how an IP geolocation service names a location. */
  static int nearestCity(double px, double py) {
    int best = 0;
    for (int c = 1; c < CITIES.length; c++) {
      if (distance(px, py, x(c), y(c)) < distance(px, py, x(best), y(best))) {
        best = c;
      }
    }
    return best;
  }

  /** A uniformly chosen city other than {@code except}, at least {@code minKm} away if any such city exists. */
  static int otherCity(RandomDraws random, int except, double minKm) {
    int candidates = 0;
    for (int c = 0; c < CITIES.length; c++) {
      if (c != except && cityDistance(c, except) >= minKm) {
        candidates++;
      }
    }
    if (candidates == 0) {
      int c = random.integer(0, CITIES.length - 2);
      return c >= except ? c + 1 : c;
    }
    int pick = random.integer(0, candidates - 1);
    for (int c = 0; c < CITIES.length; c++) {
      if (c != except && cityDistance(c, except) >= minKm && pick-- == 0) {
        return c;
      }
    }
    throw new AssertionError("unreachable");
  }
}
