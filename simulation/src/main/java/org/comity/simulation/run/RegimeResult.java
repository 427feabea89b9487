package org.comity.simulation.run;

import org.comity.aggregation.metrics.EvaluationSummary;

/**
 * Test-set metrics of one training regime: of the model selected by validation ROC-AUC (never by the test set)
 * and of the final model.
 *
 * @param selected the model with the best validation ROC-AUC
 * @param selectedRound the round (1-based) that produced it
 * @param fin the model after the last round
 */
public record RegimeResult(EvaluationSummary selected, int selectedRound, EvaluationSummary fin) {}
