package org.comity.simulation.data;

/**
 * One event in a simulated customer's history: an outgoing transaction (a row of the table once features are
 * computed) or an incoming credit (history only). Mutable, package-private scaffolding of the generator.
 */
final class TransactionEvent {
  enum Channel {
    CARD_PRESENT,
    ONLINE,
    TRANSFER,
    CASH_WITHDRAWAL,
    INCOMING_CREDIT
  }

  double hours;
  double amount;
  Channel channel;
  /** Where the money moved: the merchant or ATM for in-person channels, the IP geolocation for remote ones. */
  double locationX;
  double locationY;
  /** IP geolocation of the session (for in-person channels: the customer's last session). */
  double ipX;
  double ipY;
  int device;
  /** Payee id for transfers, -1 otherwise. */
  int payee = -1;
  int failedLoginsBefore;
  boolean credentialChange;
  boolean fraud;
  /** Whether this event becomes a row: outgoing, inside the output window and kept by the row quota. */
  boolean emitted;

  boolean outgoing() {
    return channel != Channel.INCOMING_CREDIT;
  }

  boolean moneyOut() {
    return channel == Channel.TRANSFER || channel == Channel.CASH_WITHDRAWAL;
  }

  boolean remote() {
    return channel == Channel.ONLINE || channel == Channel.TRANSFER;
  }
}
