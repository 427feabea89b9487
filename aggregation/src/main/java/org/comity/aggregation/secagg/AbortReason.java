package org.comity.aggregation.secagg;

/** Why a round ended without a sum. Each names the stage and the cause; none carries secrets. */
public enum AbortReason {
  /** Fewer than the threshold of banks advertised keys before the deadline. */
  TOO_FEW_KEYS_ADVERTISED,
  /** Fewer than the threshold of banks sent their encrypted shares before the deadline. */
  TOO_FEW_SHARES_SENT,
  /** Fewer than the threshold of banks sent a masked input before the deadline. */
  TOO_FEW_MASKED_INPUTS,
  /**
   * Enough banks survived overall, but some bank whose secret must be reconstructed has fewer than
   * the threshold of surviving share holders among its neighbours (sparse graph).
   */
  TOO_FEW_SURVIVING_SHARE_HOLDERS,
  /**
   * Consistency check: fewer than the threshold of the survivors signed the survivor set before the deadline.
   */
  TOO_FEW_CONSISTENCY_SIGNATURES,
  /** The unmask deadline passed with some needed secret below the threshold of shares. */
  TOO_FEW_UNMASK_RESPONSES,
  /** Reconstructed shares were inconsistent (a masking key did not match its advertised public key). */
  RECONSTRUCTION_FAILED,
  /** The caller (round engine or agent) aborted the round. */
  ABORTED_BY_CALLER,
  /** A bank detected the coordinator or a peer breaking the protocol (bank-side abort). */
  PROTOCOL_VIOLATION
}
