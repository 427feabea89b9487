package org.comity.plan;

import java.util.Locale;

/**
 * How a served fraud probability becomes a decision. Three bands: {@code allow} below {@code reviewThreshold},
 * {@code review} from {@code reviewThreshold} up to (not including) {@code blockThreshold}, {@code block} at or
 * above {@code blockThreshold}. Part of the plan (and of its hash) because every bank and the serving export must
 * band a score the same way.
 *
 * @param reviewThreshold probability from which a transaction is sent to manual review, in (0, 1)
 * @param blockThreshold probability from which a transaction is blocked, in (reviewThreshold, 1)
 */
public record ScoringSpec(double reviewThreshold, double blockThreshold) {
  /** Default review threshold: the usual 0.5 decision boundary. */
  public static final double DEFAULT_REVIEW_THRESHOLD = 0.5;
  /** Default block threshold: only confident scores block without a human. */
  public static final double DEFAULT_BLOCK_THRESHOLD = 0.9;

  public ScoringSpec {
    if (!(reviewThreshold > 0 && reviewThreshold < 1) || !(blockThreshold > 0 && blockThreshold < 1)
        || !(reviewThreshold < blockThreshold)) {
      throw new IllegalArgumentException(
          "scoring thresholds need 0 < review_threshold < block_threshold < 1, got review %s and block %s"
              .formatted(reviewThreshold, blockThreshold));
    }
  }

  /** The defaults: review from 0.5, block from 0.9. */
  public static ScoringSpec defaults() {
    return new ScoringSpec(DEFAULT_REVIEW_THRESHOLD, DEFAULT_BLOCK_THRESHOLD);
  }

  /** The band of {@code probability}; a NaN probability is refused (it would silently fall into "allow"). */
  public Band band(double probability) {
    if (Double.isNaN(probability)) {
      throw new IllegalArgumentException("cannot band a NaN fraud probability");
    }
    if (probability >= blockThreshold) {
      return Band.BLOCK;
    }
    return probability >= reviewThreshold ? Band.REVIEW : Band.ALLOW;
  }

  /** A scoring decision. */
  public enum Band {
    ALLOW,
    REVIEW,
    BLOCK;

    /** The lower-case name written in score files and manifests, e.g. {@code review}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
