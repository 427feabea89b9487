package org.comity.aggregation.secagg.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * CPU time of the benchmark thread per operation, next to JMH's wall-clock score. On a shared,
 * oversubscribed machine (load average several times the core count) wall-clock time mostly measures
 * the other processes; the thread's own CPU time does not (it still includes cache and frequency
 * effects of sharing). Printed per measurement iteration as {@code [cpu] ...} and summarised at the
 * end of the trial as {@code [cpu-summary] mean, min, max over measurement iterations}.
 */
final class CpuTime {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private long nanos;
  private long ops;
  private final List<Double> perIteration = new ArrayList<>();

  long start() {
    return THREADS.getCurrentThreadCpuTime();
  }

  void stop(long start) {
    nanos += THREADS.getCurrentThreadCpuTime() - start;
    ops++;
  }

  void endIteration(IterationParams params) {
    if (ops > 0 && params.getType() == IterationType.MEASUREMENT) {
      double ms = nanos / 1e6 / ops;
      perIteration.add(ms);
      System.out.printf("[cpu] %.3f ms/op thread CPU time (%d ops)%n", ms, ops);
    }
    nanos = 0;
    ops = 0;
  }

  void endTrial(String label) {
    if (perIteration.isEmpty()) {
      return;
    }
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double v : perIteration) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    System.out.printf("%n[cpu-summary] %s: %.3f ms/op thread CPU time, mean of %d iterations (min %.3f, max %.3f)%n",
        label, sum / perIteration.size(), perIteration.size(), min, max);
    perIteration.clear();
  }
}
