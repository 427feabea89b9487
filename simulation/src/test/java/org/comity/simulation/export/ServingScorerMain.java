package org.comity.simulation.export;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.comity.serving.ModelManifest;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * What a serving client does, in its own JVM: reads an exported version's manifest to learn the input columns,
 * encodes a CSV's rows as the manifest says (raw numbers, category positions, NaN for empty cells), loads the
 * SavedModel by its tag and calls the signature named in the manifest. Uses no agent or coordinator class.
 *
 * <p>Arguments: {@code VERSION_DIR CSV OUT}. Writes one line per row: the float32 score's raw bits in hex, so the
 * comparison with the agent is bit for bit.
 */
public final class ServingScorerMain {
  private ServingScorerMain() {}

  public static void main(String[] args) throws IOException {
    Path versionDir = Path.of(args[0]);
    ModelManifest manifest = ModelManifest.read(versionDir);
    List<ModelManifest.InputColumn> inputs = manifest.inputs();
    List<float[]> rows = new ArrayList<>();
    CsvMapper csv = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();
    try (Reader reader = Files.newBufferedReader(Path.of(args[1]));
        MappingIterator<String[]> lines = csv.readerFor(String[].class).readValues(reader)) {
      List<String> header = Arrays.asList(lines.nextValue());
      int[] cellIndex = inputs.stream().mapToInt(c -> header.indexOf(c.name())).toArray();
      while (lines.hasNextValue()) {
        String[] cells = lines.nextValue();
        float[] row = new float[inputs.size()];
        for (int i = 0; i < row.length; i++) {
          String cell = cells[cellIndex[i]].trim();
          ModelManifest.InputColumn column = inputs.get(i);
          if (cell.isEmpty()) {
            row[i] = Float.NaN;
          } else if (column.type().equals("categorical")) {
            row[i] = column.categories().indexOf(cell);
          } else {
            row[i] = (float) Double.parseDouble(cell); // the agent's parse: double, rounded once to float32
          }
        }
        rows.add(row);
      }
    }
    float[] flat = new float[rows.size() * inputs.size()];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, flat, r * inputs.size(), inputs.size());
    }
    float[] scores = new float[rows.size()];
    try (SavedModelBundle bundle = SavedModelBundle.load(versionDir.toString(), manifest.signature().tag());
        TFloat32 x = TFloat32.tensorOf(Shape.of(rows.size(), inputs.size()), DataBuffers.of(flat, true, false));
        Result result = bundle.function(manifest.signature().key()).call(Map.of(manifest.signature().input(), x))) {
      ((TFloat32) result.get(manifest.signature().output()).orElseThrow())
          .copyTo(DataBuffers.of(scores, false, false));
    }
    StringBuilder out = new StringBuilder();
    for (float score : scores) {
      out.append(Integer.toHexString(Float.floatToRawIntBits(score))).append('\n');
    }
    Files.writeString(Path.of(args[2]), out);
  }
}
