package org.comity.plan;

/**
 * Federated evaluation on each bank's local holdout.
 *
 * @param holdoutFraction fraction of each bank's rows kept out of training for evaluation (stratified, seeded)
 * @param holdoutSeed seed of the holdout split (the same at every bank, so a bank's split is reproducible)
 * @param threshold decision threshold for precision, recall and F1
 */
public record EvaluationSpec(double holdoutFraction, long holdoutSeed, double threshold) {}
