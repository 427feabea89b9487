package org.comity.agent.runtime;

/** The agent cannot go on (refused by the coordinator, unreachable past its patience, bad configuration). */
public final class AgentException extends Exception {
  private static final long serialVersionUID = 1L;

  public AgentException(String message) {
    super(message);
  }

  public AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
