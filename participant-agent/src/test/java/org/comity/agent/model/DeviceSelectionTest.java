package org.comity.agent.model;

import static org.comity.agent.model.ModelArchitectureTest.assertMessageContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.proto.ConfigProto;

class DeviceSelectionTest {

  @Test
  void parse_acceptsEveryDocumentedForm() {
    assertEquals(DeviceSelection.cpu(), DeviceSelection.parse("cpu"));
    assertEquals(DeviceSelection.gpu(0), DeviceSelection.parse("GPU"));
    assertEquals(DeviceSelection.gpu(3), DeviceSelection.parse(" gpu:3 "));
    assertEquals(DeviceSelection.auto(), DeviceSelection.parse("auto"));
  }

  @Test
  void toString_roundTripsThroughParse() {
    for (DeviceSelection selection :
        List.of(DeviceSelection.cpu(), DeviceSelection.gpu(2), DeviceSelection.auto())) {
      assertEquals(selection, DeviceSelection.parse(selection.toString()));
    }
  }

  @Test
  void parse_invalidText_namesTheValueAndTheAllowedForms() {
    assertMessageContains("invalid device 'tpu': unknown device; allowed: cpu, gpu, gpu:N (N >= 0), auto",
        () -> DeviceSelection.parse("tpu"));
    assertMessageContains("invalid device 'gpu:': the GPU index must be a non-negative integer",
        () -> DeviceSelection.parse("gpu:"));
    assertMessageContains("invalid device 'gpu:-1': the GPU index must be a non-negative integer",
        () -> DeviceSelection.parse("gpu:-1"));
    assertMessageContains("invalid device 'gpu:x'", () -> DeviceSelection.parse("gpu:x"));
    assertMessageContains("invalid device 'null'", () -> DeviceSelection.parse(null));
    assertMessageContains("invalid device ''", () -> DeviceSelection.parse(""));
  }

  @Test
  void constructor_gpuIndexOnNonGpuKind_isRejected() {
    assertMessageContains("a GPU index is only meaningful for kind GPU",
        () -> new DeviceSelection(DeviceSelection.Kind.CPU, 1));
  }

  @Test
  void resolve_explicitGpu_failsLoudlyWhenAutoFindsNoGpu_elseIsUsed() {
    // given
    TrainingDevice auto = TrainingSessionFactory.resolve(DeviceSelection.auto());

    // when / then: an explicit GPU never silently falls back to CPU
    if (auto.gpu()) {
      assertEquals(TrainingDevice.gpu(0), TrainingSessionFactory.resolve(DeviceSelection.gpu(0)));
    } else {
      IllegalStateException e =
          assertThrows(IllegalStateException.class,
              () -> TrainingSessionFactory.resolve(DeviceSelection.gpu(0)));
      assertTrue(e.getMessage().contains("device 'gpu:0' was requested but TensorFlow cannot place an op on GPU 0"));
    }
  }

  @Test
  void sessionConfig_cpu_hidesGpusAndUsesPerSessionThreads() {
    // when
    ConfigProto config =
        TrainingSessionFactory.sessionConfig(TrainingDevice.cpu(), new SessionThreads(3, 1));

    // then
    assertEquals(0, config.getDeviceCountOrDefault("GPU", -1));
    assertTrue(config.getUsePerSessionThreads());
    assertEquals(3, config.getIntraOpParallelismThreads());
    assertEquals(1, config.getInterOpParallelismThreads());
    assertTrue(config.getAllowSoftPlacement());
  }

  @Test
  void sessionConfig_gpu_makesOnlyTheSelectedGpuVisibleWithSoftPlacement() {
    // when
    ConfigProto config = TrainingSessionFactory.sessionConfig(TrainingDevice.gpu(2), new SessionThreads(2, 2));

    // then
    assertEquals("2", config.getGpuOptions().getVisibleDeviceList());
    assertTrue(config.getGpuOptions().getAllowGrowth());
    assertTrue(config.getAllowSoftPlacement());
    assertFalse(config.containsDeviceCount("GPU"));
    assertTrue(config.getUsePerSessionThreads());
  }

  @Test
  void graphBuild_placesEveryModelOpOnTheTrainingDevice() {
    for (TrainingDevice device : List.of(TrainingDevice.cpu(), TrainingDevice.gpu(1))) {
      // given
      String expected = device.gpu() ? "/device:GPU:0" : "/device:CPU:0";
      try (Graph graph = new Graph()) {
        // when: building needs no GPU, so the GPU placement is checked here too
        FraudModelGraph.build(graph, device, ModelArchitecture.defaults(4), TrainingHyperparameters.defaults());

        // then: ops TensorFlow generates for gradients are left to the placer (documented)
        List<String> misplaced = new ArrayList<>();
        int checked = 0;
        for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
          GraphOperation op = it.next();
          if (op.name().startsWith("gradients")) {
            continue;
          }
          checked++;
          if (!expected.equals(op.device())) {
            misplaced.add(op.name() + "@" + op.device());
          }
        }
        assertTrue(checked > 50, "checked " + checked);
        assertEquals(List.of(), misplaced);
      }
    }
  }

  @Test
  void describe_namesDeviceAndThreads() {
    assertEquals("CPU (2 intra-op threads, 1 inter-op threads)",
        TrainingDevice.cpu().describe(new SessionThreads(2, 1)));
    assertTrue(TrainingDevice.gpu(1).describe(new SessionThreads(2, 1)).startsWith("GPU:1 "));
  }

  @Test
  void sessionThreads_belowOne_areRejected() {
    assertMessageContains("thread counts must be >= 1, got intra-op 0, inter-op 1",
        () -> new SessionThreads(0, 1));
  }
}
