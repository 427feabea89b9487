package org.comity.simulation.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.comity.coordinator.round.RoundReport;
import org.comity.simulation.run.SimulationResults;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The federated run's validation metrics per round as a PNG, with the three regimes' test ROC-AUC as reference
 * lines, so a researcher sees convergence and overfitting at a glance.
 */
public final class RoundChart {
  private RoundChart() {}

  /** Writes the chart to {@code file} (a {@code .png} path). */
  public static void write(SimulationResults results, Path file) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(500)
        .title("Federated run: validation metrics per round").xAxisTitle("round").yAxisTitle("metric").build();
    chart.getStyler().setLegendVisible(true);
    List<Integer> rounds = new ArrayList<>();
    List<Double> roc = new ArrayList<>();
    List<Double> pr = new ArrayList<>();
    for (RoundReport report : results.rounds()) {
      if (report.validation() != null && !Double.isNaN(report.validation().rocAuc())) {
        rounds.add(report.round());
        roc.add(report.validation().rocAuc());
        pr.add(Double.isNaN(report.validation().prAuc()) ? 0.0 : report.validation().prAuc());
      }
    }
    if (rounds.isEmpty()) {
      return;
    }
    chart.addSeries("validation ROC-AUC", rounds, roc).setMarker(SeriesMarkers.NONE);
    chart.addSeries("validation PR-AUC", rounds, pr).setMarker(SeriesMarkers.NONE);
    reference(chart, "test ROC-AUC, centralized", rounds, results.centralized().selected().rocAuc());
    reference(chart, "test ROC-AUC, federated", rounds, results.federated().selected().rocAuc());
    reference(chart, "test ROC-AUC, local-only mean", rounds, results.localOnlyMean().rocAuc());
    String name = file.toString();
    BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
        BitmapEncoder.BitmapFormat.PNG);
  }

  private static void reference(XYChart chart, String name, List<Integer> rounds, double value) {
    if (Double.isNaN(value)) {
      return;
    }
    XYSeries series = chart.addSeries(name, List.of(rounds.get(0), rounds.get(rounds.size() - 1)), List.of(value, value));
    series.setMarker(SeriesMarkers.NONE);
  }
}
