package org.comity.coordinator.console;

/**
 * A request the console refuses, with the HTTP status and the parameter at fault; becomes the JSON error body
 * {@code {"status": 400, "error": "...", "parameter": "offset"}}.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String parameter;

  ApiException(int status, String parameter, String message) {
    super(message, null, false, false);
    this.status = status;
    this.parameter = parameter;
  }

  int status() {
    return status;
  }

  /** The query parameter, path parameter or body field at fault, or {@code null}. */
  String parameter() {
    return parameter;
  }
}
