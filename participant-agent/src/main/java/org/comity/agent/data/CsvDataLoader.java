package org.comity.agent.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.comity.plan.FederationPlan;

/**
 * Loads a bank's CSV export (UTF-8, comma-separated, header row, RFC 4180 quoting) and checks it against the
 * plan. Never throws for bad content: every problem goes into the {@link DataCheckReport}. Positions in messages
 * are file lines (the header is line 1).
 */
public final class CsvDataLoader {
  private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

  private final FederationPlan plan;

  public CsvDataLoader(FederationPlan plan) {
    this.plan = plan;
  }

  /** Reads and checks {@code file} as training data. */
  public DataCheckReport load(Path file) {
    return load(file, PlanDataValidator.forTraining(plan, PlanDataValidator.Positions.LINE));
  }

  /** Reads {@code file} through {@code validator} (made for this loader's plan, with line positions). */
  public static DataCheckReport load(Path file, PlanDataValidator validator) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
         MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(reader)) {
      boolean header = true;
      while (rows.hasNextValue()) {
        long line = rows.getCurrentLocation().getLineNr();
        String[] cells = rows.nextValue();
        if (header) {
          validator.header(Arrays.asList(cells));
          header = false;
        } else if (!(cells.length == 1 && cells[0].isBlank())) {
          validator.row(line, List.of(cells));
        }
      }
    } catch (NoSuchFileException e) {
      validator.fileProblem("unreadable", "file not found: " + file, -1);
    } catch (CharacterCodingException e) {
      validator.fileProblem("unreadable", "the file is not UTF-8 text", -1);
    } catch (IOException | RuntimeException e) {
      validator.fileProblem("unreadable", "cannot read the file as CSV: " + firstLine(e.getMessage()), -1);
    }
    return validator.finish(file.toString());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
