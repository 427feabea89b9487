package org.comity.coordinator.export;

import java.nio.file.Path;
import org.comity.serving.ModelManifest;

/**
 * A model version written as a TensorFlow Serving SavedModel.
 *
 * @param versionDirectory {@code <out>/<version>/}: {@code saved_model.pb}, {@code variables/} and the manifest
 * @param manifest what was written to {@code comity-model.json}
 */
public record ExportedModel(Path versionDirectory, ModelManifest manifest) {}
