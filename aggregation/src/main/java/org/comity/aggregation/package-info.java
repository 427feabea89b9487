/**
 * Pure math and protocols shared by the coordinator and the agents: federated averaging, secure aggregation,
 * privacy accounting and exact federated metrics. No I/O, no clocks, no threads.
 */
package org.comity.aggregation;
