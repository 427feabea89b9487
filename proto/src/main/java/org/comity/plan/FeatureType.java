package org.comity.plan;

/** How a feature column is read and fed to the model. */
public enum FeatureType {
  /** A real number; one model input column. */
  NUMERIC,
  /** One of a fixed list of strings; one-hot encoded, one model input column per category. */
  CATEGORICAL;
}
