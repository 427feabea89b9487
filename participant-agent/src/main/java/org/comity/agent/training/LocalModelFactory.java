package org.comity.agent.training;

import org.comity.plan.FederationPlan;

/** Creates the local model for a plan; the agent and the simulation's baselines use the same factory. */
@FunctionalInterface
public interface LocalModelFactory {
  /**
   * A new model with the plan's architecture and training settings; its initial weights come from {@code seed}
   * (the federated run overwrites them with the global model).
   */
  LocalModel create(FederationPlan plan, long seed);
}
