/**
 * The agent's optional Prometheus metrics ({@link org.comity.agent.metrics.AgentMetrics}) and the Vert.x endpoint
 * that serves them with the status document ({@link org.comity.agent.metrics.AgentMetricsEndpoint}), on loopback
 * unless the bank binds it elsewhere. Names are listed in {@code docs/OPERATIONS.md}.
 */
package org.comity.agent.metrics;
