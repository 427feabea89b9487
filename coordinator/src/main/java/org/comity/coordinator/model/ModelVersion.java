package org.comity.coordinator.model;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.aggregation.normalization.Normalization;
import org.comity.wire.PackedFloats;

/**
 * A committed global model: its weights, the normalisation it expects, its federated validation metrics and its
 * lineage (plan hash, run, round, participants). Immutable; the weights are copied in and out.
 */
public final class ModelVersion {
  private final long version;
  private final String runId;
  private final String planHash;
  private final int round;
  private final float[] weights;
  private final Normalization normalization;
  private final EvaluationSummary validation;
  private final List<String> participants;
  private final Instant committedAt;
  private final String weightsHash;
  private final double epsilonSpent;

  /**
   * @param epsilonSpent bank-level epsilon the run had spent when this version was committed (0 without DP)
   */
  public ModelVersion(long version, String runId, String planHash, int round, float[] weights,
      Normalization normalization, EvaluationSummary validation, List<String> participants, Instant committedAt,
      double epsilonSpent) {
    this.epsilonSpent = epsilonSpent;
    this.version = version;
    this.runId = runId;
    this.planHash = planHash;
    this.round = round;
    this.weights = weights.clone();
    this.normalization = normalization;
    this.validation = validation;
    this.participants = List.copyOf(participants);
    this.committedAt = committedAt;
    this.weightsHash = sha256(this.weights);
  }

  public long version() {
    return version;
  }

  public String runId() {
    return runId;
  }

  public String planHash() {
    return planHash;
  }

  public int round() {
    return round;
  }

  /** A copy of the weights, in the plan's layout. */
  public float[] weights() {
    return weights.clone();
  }

  public int parameterCount() {
    return weights.length;
  }

  public Normalization normalization() {
    return normalization;
  }

  /** Federated validation on the banks' holdouts, or {@code null} when no bank evaluated it. */
  public EvaluationSummary validation() {
    return validation;
  }

  /** Members whose updates built this version. */
  public List<String> participants() {
    return participants;
  }

  /** Bank-level epsilon spent by the run up to this version (0 without bank-level DP). */
  public double epsilonSpent() {
    return epsilonSpent;
  }

  public Instant committedAt() {
    return committedAt;
  }

  /** Hex SHA-256 of the packed little-endian weights. */
  public String weightsHash() {
    return weightsHash;
  }

  private static String sha256(float[] values) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(PackedFloats.pack(values).toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "ModelVersion[v%d, round %d, %d params, sha256 %s]".formatted(version, round, weights.length,
        weightsHash.substring(0, 12));
  }
}
