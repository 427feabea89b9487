/**
 * The serving contract shared by the coordinator (which exports a model version as a TensorFlow Serving SavedModel)
 * and the agent (which scores with it): signature names, the raw-feature input encoding and the
 * {@code comity-model.json} manifest. Pure Java, no TensorFlow.
 */
package org.comity.serving;
