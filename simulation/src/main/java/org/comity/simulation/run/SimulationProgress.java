package org.comity.simulation.run;

import org.comity.coordinator.round.RoundReport;

/** What a running simulation tells its user; the CLI draws progress bars from it. */
public interface SimulationProgress {
  /** A stage starts; {@code steps} is how many {@link #step()} calls it will make. */
  void stage(String name, int steps);

  /** One step of the current stage is done. */
  void step();

  /** A federated round ended. */
  default void round(RoundReport report) {
    step();
  }

  /** The current stage is done. */
  void stageDone();

  /** Discards all output. */
  SimulationProgress SILENT = new SimulationProgress() {
    @Override
    public void stage(String name, int steps) {}

    @Override
    public void step() {}

    @Override
    public void stageDone() {}
  };
}
