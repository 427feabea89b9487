/**
 * Coordinator side of SecAgg+: {@link org.comity.aggregation.secagg.server.SecAggServer} over one
 * immutable class per stage ({@link org.comity.aggregation.secagg.server.ServerStage}), each deciding
 * on its deadline whether to proceed with the banks that answered or to abort with the reason.
 */
package org.comity.aggregation.secagg.server;
