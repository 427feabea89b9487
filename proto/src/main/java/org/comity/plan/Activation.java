package org.comity.plan;

/** Activation of the hidden layers; the output layer is always a sigmoid. */
public enum Activation {
  RELU,
  TANH,
  ELU,
  LEAKY_RELU;
}
