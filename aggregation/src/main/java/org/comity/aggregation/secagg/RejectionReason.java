package org.comity.aggregation.secagg;

/** Why one message was refused. A refused message changes no state. */
public enum RejectionReason {
  /** The message belongs to another stage than the current one. */
  WRONG_STAGE,
  /** The sender is not a member of this round, or has dropped out of an earlier stage. */
  NOT_A_PARTICIPANT,
  /** The claimed sender differs from the authenticated bank. */
  SENDER_MISMATCH,
  /** This sender already sent this stage's message. */
  DUPLICATE,
  /** A vector, key or share set has the wrong size or membership. */
  WRONG_SIZE,
  /** The round id differs: a replay from another round. */
  WRONG_ROUND,
  /** The session id differs: a replay from another session of the same round. */
  WRONG_SESSION,
  /** The message contradicts what this party already knows (for example an altered own key). */
  INCONSISTENT,
  /** A consistency-check signature does not verify for its claimed signer. */
  INVALID_SIGNATURE,
  /** A ciphertext failed authentication. */
  DECRYPTION_FAILED
}
