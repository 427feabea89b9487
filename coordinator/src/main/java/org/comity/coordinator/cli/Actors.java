package org.comity.coordinator.cli;

/** Who an operator command records as having acted: {@code --actor}, else the OS user name. */
final class Actors {
  private Actors() {}

  static String resolve(String flag) throws ExitCodes.BadInputException {
    String actor = flag != null ? flag.strip() : System.getProperty("user.name", "");
    if (actor.isEmpty() || actor.length() > 200) {
      throw new ExitCodes.BadInputException("--actor must be 1 to 200 characters, got '%s'".formatted(actor));
    }
    return actor;
  }
}
