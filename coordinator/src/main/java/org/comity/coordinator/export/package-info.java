/**
 * Export of a committed model version as a TensorFlow Serving SavedModel with its manifest
 * ({@link org.comity.coordinator.export.SavedModelExporter}). The contract it writes is in
 * {@code org.comity.serving} (proto module), so the agent reads it without depending on the coordinator.
 */
package org.comity.coordinator.export;
