package org.comity.simulation.data;

/**
 * The fraud patterns the synthetic consortium plants in customers' histories. Each is a short episode of
 * transactions, all labelled fraud; each leaves traces in several features, none of which alone gives the label,
 * because legitimate customers produce the same traces now and then (see {@code docs/SYNTHETIC_DATA.md}).
 */
public enum FraudPattern {
  /**
   * Account takeover: a login from a new device and often a distant IP, frequently after failed logins or a
   * credential change, then one to three transfers, usually to a new payee, of a few times the usual amount.
   */
  ACCOUNT_TAKEOVER,
  /** Card testing: two to five online probe payments of a few units within minutes, then one large online purchase. */
  CARD_TESTING,
  /**
   * Impossible travel: a cloned card used in person in a distant city shortly after the genuine card was used at
   * home, so the implied speed is beyond an airliner's.
   */
  IMPOSSIBLE_TRAVEL,
  /** Bust-out: an account dormant for one to four weeks suddenly spends several times its usual amount, repeatedly, within a day. */
  BUST_OUT,
  /**
   * Mule cash-out: a large incoming credit followed within hours by a burst of transfers and cash withdrawals,
   * mostly to new payees.
   */
  MULE_CASH_OUT
}
