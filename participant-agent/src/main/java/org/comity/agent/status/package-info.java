/**
 * What the running agent tells the bank's own operators: the status document
 * ({@link org.comity.agent.status.AgentStatus}), kept by {@link org.comity.agent.status.AgentStatusTracker} from the
 * runner's events and written atomically by {@link org.comity.agent.status.StatusFile}; {@code comity-agent status}
 * reads it. The document stays at the bank and holds no secret (no session token, key or data row).
 */
package org.comity.agent.status;
