package org.comity.agent.runtime;

/**
 * How an agent's participation ended.
 *
 * @param reason the coordinator's reason for ending the run, or why the agent stopped
 * @param tasksCompleted results the coordinator accepted
 * @param tasksRejected results the coordinator refused
 */
public record AgentOutcome(String reason, int tasksCompleted, int tasksRejected) {}
