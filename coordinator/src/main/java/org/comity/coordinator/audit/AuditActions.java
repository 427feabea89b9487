package org.comity.coordinator.audit;

/** The actions the coordinator records in its audit trail (stable strings: reviewers filter on them). */
public final class AuditActions {
  public static final String MEMBER_ENROLLED = "member.enrolled";
  public static final String MEMBER_REVOKED = "member.revoked";
  public static final String ROUND_FINISHED = "round.finished";
  public static final String RUN_FINISHED = "run.finished";
  public static final String MODEL_PROMOTED = "model.promoted";
  public static final String MODEL_ROLLED_BACK = "model.rolled-back";
  /** The actor of entries the coordinator writes on its own (rounds, runs). */
  public static final String COORDINATOR = "coordinator";
  /** An operator token was created for the console (its name and role; never the token). */
  public static final String OPERATOR_TOKEN_CREATED = "operator.token.created";
  /** An operator token was revoked. */
  public static final String OPERATOR_TOKEN_REVOKED = "operator.token.revoked";

  private AuditActions() {}
}
