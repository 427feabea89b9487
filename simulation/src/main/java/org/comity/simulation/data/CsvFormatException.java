package org.comity.simulation.data;

import java.io.IOException;

/**
 * A CSV file that cannot be read as a labelled numeric table. The message names the file and, where it applies, the
 * 1-based line number ("row", the header being row 1) and the column, so a bank operator can fix the export.
 */
public final class CsvFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public CsvFormatException(String message) {
    super(message);
  }
}
