package org.comity.simulation.recovery;

import java.util.function.Predicate;
import org.comity.proto.v1.SubmitResultRequest;

/**
 * Where a coordinator is killed: while it waits for a result of this kind in round 2 (round 0 for statistics); a
 * bank's result of that kind is held back, so the coordinator is known to be in that stage.
 */
public enum KillPoint {
  STATISTICS(false, r -> r.hasStats()),
  TRAINING(false, r -> r.getRound() == 2 && r.hasTrain()),
  EVALUATION(false, r -> r.getRound() == 2 && r.hasEvaluate()),
  SECAGG_ADVERTISE_KEYS(true, r -> r.getRound() == 2 && r.hasSecagg() && r.getSecagg().hasAdvertiseKeys()),
  SECAGG_SHARE_KEYS(true, r -> r.getRound() == 2 && r.hasSecagg() && r.getSecagg().hasEncryptedShares()),
  SECAGG_MASKED_INPUT(true, r -> r.getRound() == 2 && r.hasSecagg() && r.getSecagg().hasMaskedInput()),
  SECAGG_CONSISTENCY_CHECK(true, r -> r.getRound() == 2 && r.hasSecagg() && r.getSecagg().hasConsistencySignature()),
  SECAGG_UNMASKING(true, r -> r.getRound() == 2 && r.hasSecagg() && r.getSecagg().hasUnmaskResponse()),
  SECAGG_EVALUATION(true, r -> r.getRound() == 2 && r.hasEvaluate());

  private final boolean secure;
  private final Predicate<SubmitResultRequest> held;

  KillPoint(boolean secure, Predicate<SubmitResultRequest> held) {
    this.secure = secure;
    this.held = held;
  }

  /** Whether the point lies in a secure-aggregation run. */
  public boolean secure() {
    return secure;
  }

  /** The result held back while the coordinator is killed. */
  public Predicate<SubmitResultRequest> held() {
    return held;
  }
}
