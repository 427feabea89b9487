package org.comity.plan;

/** How local training counters the rarity of fraud. */
public enum ImbalanceHandling {
  /** Positive examples weigh {@code class_weight} times more in the loss. */
  CLASS_WEIGHT,
  /** Each minibatch is drawn with equal expected numbers of positives and negatives; the loss is unweighted. */
  BALANCED_SAMPLING;
}
