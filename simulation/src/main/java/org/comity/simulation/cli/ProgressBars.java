package org.comity.simulation.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.comity.coordinator.round.RoundReport;
import org.comity.simulation.run.SimulationProgress;

/** Draws one progress bar per simulation stage on stderr; federated rounds show their validation ROC-AUC. */
final class ProgressBars implements SimulationProgress {
  private ProgressBar bar;

  @Override
  public synchronized void stage(String name, int steps) {
    stageDone();
    bar = new ProgressBarBuilder()
        .setTaskName(name)
        .setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .setMaxRenderedLength(120)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .build();
  }

  @Override
  public synchronized void step() {
    if (bar != null) {
      bar.step();
    }
  }

  @Override
  public synchronized void round(RoundReport report) {
    if (bar == null) {
      return;
    }
    bar.step();
    if (report.validation() != null) {
      bar.setExtraMessage(" validation AUC %.4f".formatted(report.validation().rocAuc()));
    } else {
      bar.setExtraMessage(" round %d %s".formatted(report.round(), report.outcome().name().toLowerCase()));
    }
  }

  @Override
  public synchronized void stageDone() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
