package org.comity.plan;

import java.util.List;

/**
 * The network every bank trains: dense hidden layers, dropout after each in training, one sigmoid output.
 *
 * @param hiddenUnits units of each hidden layer, input side first (default 128, 64, 32)
 * @param dropout dropout rate after each hidden layer during training, in [0, 1)
 * @param activation hidden-layer activation
 * @param initSeed seed of the initial (version 0) weights
 */
public record ModelSpec(List<Integer> hiddenUnits, double dropout, Activation activation, long initSeed) {
  public ModelSpec {
    hiddenUnits = List.copyOf(hiddenUnits);
  }
}
