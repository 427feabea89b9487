/**
 * Scoring at the bank with a model version exported by the coordinator (TensorFlow Serving SavedModel plus
 * {@code comity-model.json}): locating the version, checking it belongs to the bank's plan, running it.
 */
package org.comity.agent.scoring;
