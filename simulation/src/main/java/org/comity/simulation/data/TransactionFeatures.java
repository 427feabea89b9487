package org.comity.simulation.data;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes one row of features for an outgoing transaction from the customer's history before it, the way a bank's
 * feature pipeline would: velocity counts, device and IP changes, distances and implied speed, amount against the
 * customer's usual amount, recent incoming money. Heavy-tailed quantities are {@code log(1 + x)} transformed (the
 * name says so) and ratios are capped, so a standardised MLP input is not dominated by a few extreme rows. The
 * formulas are listed in {@code docs/SYNTHETIC_DATA.md}.
 */
final class TransactionFeatures {
  /** Feature names in column order. */
  static final List<String> NAMES = List.of(
      "amount_log",
      "amount_to_usual_ratio",
      "amount_zscore",
      "log_hours_since_last_tx",
      "log_km_from_last_tx",
      "log_speed_kmh_from_last_tx",
      "log_km_from_home",
      "tx_count_1h",
      "tx_count_24h",
      "log_amount_sum_24h_to_usual",
      "small_tx_count_1h",
      "new_device",
      "device_changes_7d",
      "distinct_devices_30d",
      "cross_city_logins_24h",
      "log_ip_geo_jump_km",
      "failed_logins_24h",
      "credential_changes_7d",
      "new_payee",
      "transfers_1h",
      "log_incoming_24h_to_usual",
      "is_online",
      "is_transfer",
      "is_cash_withdrawal",
      "hour_of_day",
      "active_days_30d",
      "log_account_age_days");

  /** An amount at or below this is a "small" payment, the size of a card-testing probe or a bus ticket. */
  static final double SMALL_AMOUNT = 5.0;
  /** Usual amount assumed when a customer has fewer than 3 payments in the last 30 days. */
  static final double DEFAULT_USUAL_AMOUNT = 40.0;
  private static final double MAX_AMOUNT_RATIO = 50.0;
  private static final double NO_PREVIOUS_TX_HOURS = 30 * 24.0;

  private TransactionFeatures() {}

  /** Writes the features of {@code history.get(index)} to {@code out[offset ..]}. The history must be time-ordered. */
  static void compute(Customer customer, int index, float[] out, int offset) {
    List<TransactionEvent> history = customer.history;
    TransactionEvent current = history.get(index);
    int homeCity = customer.habits.homeCity();
    double t = current.hours;

    double sumLog = 0;
    double sumLogSquared = 0;
    int paymentsIn30d = 0;
    int count1h = 0;
    int count24h = 0;
    int small1h = 0;
    int moneyOut1h = current.moneyOut() ? 1 : 0;
    double amount24h = current.amount;
    double incoming24h = 0;
    int crossCity24h = current.remote() && Geography.nearestCity(current.ipX, current.ipY) != homeCity ? 1 : 0;
    int failedLogins24h = current.failedLoginsBefore;
    int credentialChanges7d = current.credentialChange ? 1 : 0;
    int deviceChanges7d = 0;
    Set<Integer> devices30d = new HashSet<>();
    devices30d.add(current.device);
    Set<Integer> activeDays = new HashSet<>();
    int today = (int) Math.floor(t / 24);
    TransactionEvent previous = null;
    TransactionEvent newer = current;
    for (int j = index - 1; j >= 0; j--) {
      TransactionEvent e = history.get(j);
      double age = t - e.hours;
      if (age > 30 * 24) {
        break;
      }
      if (!e.outgoing()) {
        if (age <= 24) {
          incoming24h += e.amount;
        }
        continue;
      }
      if (previous == null) {
        previous = e;
      }
      paymentsIn30d++;
      double logAmount = Math.log(e.amount);
      sumLog += logAmount;
      sumLogSquared += logAmount * logAmount;
      devices30d.add(e.device);
      int day = (int) Math.floor(e.hours / 24);
      if (day != today) {
        activeDays.add(day);
      }
      if (age <= 7 * 24) {
        if (e.device != newer.device) {
          deviceChanges7d++;
        }
        if (e.credentialChange) {
          credentialChanges7d++;
        }
      }
      if (age <= 24) {
        count24h++;
        amount24h += e.amount;
        failedLogins24h += e.failedLoginsBefore;
        if (e.remote() && Geography.nearestCity(e.ipX, e.ipY) != homeCity) {
          crossCity24h++;
        }
      }
      if (age <= 1) {
        count1h++;
        if (e.amount <= SMALL_AMOUNT) {
          small1h++;
        }
        if (e.moneyOut()) {
          moneyOut1h++;
        }
      }
      newer = e;
    }
    if (previous == null) {
      for (int j = index - 1; j >= 0 && previous == null; j--) {
        if (history.get(j).outgoing()) {
          previous = history.get(j);
        }
      }
    }
    boolean newDevice = true;
    boolean newPayee = current.payee >= 0;
    for (int j = 0; j < index; j++) {
      TransactionEvent e = history.get(j);
      if (e.outgoing() && e.device == current.device) {
        newDevice = false;
      }
      if (current.payee >= 0 && e.payee == current.payee) {
        newPayee = false;
      }
    }

    double usual;
    double logSpread;
    if (paymentsIn30d >= 3) {
      double mean = sumLog / paymentsIn30d;
      usual = Math.exp(mean);
      logSpread = Math.sqrt(Math.max(0, sumLogSquared / paymentsIn30d - mean * mean));
    } else {
      usual = DEFAULT_USUAL_AMOUNT;
      logSpread = 1.0;
    }
    double hoursSinceLast = previous == null ? NO_PREVIOUS_TX_HOURS : t - previous.hours;
    double kmFromLast = previous == null ? 0
        : Geography.distance(current.locationX, current.locationY, previous.locationX, previous.locationY);
    double ipJump = previous == null ? 0 : Geography.distance(current.ipX, current.ipY, previous.ipX, previous.ipY);
    double speed = kmFromLast / Math.max(hoursSinceLast, 1.0 / 60);

    int c = offset;
    out[c++] = (float) Math.log1p(current.amount);
    out[c++] = (float) Math.min(current.amount / usual, MAX_AMOUNT_RATIO);
    out[c++] = (float) clamp((Math.log(current.amount) - Math.log(usual)) / Math.max(logSpread, 0.25), -8, 8);
    out[c++] = (float) Math.log1p(hoursSinceLast);
    out[c++] = (float) Math.log1p(kmFromLast);
    out[c++] = (float) Math.log1p(speed);
    out[c++] = (float) Math.log1p(Geography.distance(current.locationX, current.locationY,
        Geography.x(homeCity), Geography.y(homeCity)));
    out[c++] = count1h;
    out[c++] = count24h;
    out[c++] = (float) Math.log1p(amount24h / usual);
    out[c++] = small1h;
    out[c++] = newDevice ? 1 : 0;
    out[c++] = deviceChanges7d;
    out[c++] = devices30d.size();
    out[c++] = crossCity24h;
    out[c++] = (float) Math.log1p(ipJump);
    out[c++] = failedLogins24h;
    out[c++] = credentialChanges7d;
    out[c++] = newPayee ? 1 : 0;
    out[c++] = moneyOut1h;
    out[c++] = (float) Math.log1p(incoming24h / usual);
    out[c++] = current.channel == TransactionEvent.Channel.ONLINE ? 1 : 0;
    out[c++] = current.channel == TransactionEvent.Channel.TRANSFER ? 1 : 0;
    out[c++] = current.channel == TransactionEvent.Channel.CASH_WITHDRAWAL ? 1 : 0;
    out[c++] = (float) (t - today * 24.0);
    out[c++] = activeDays.size();
    out[c] = (float) Math.log1p(customer.habits.accountAgeDays() + t / 24);
  }

  private static double clamp(double value, double low, double high) {
    return Math.max(low, Math.min(high, value));
  }
}
