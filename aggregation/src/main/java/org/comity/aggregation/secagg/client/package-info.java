/**
 * Bank side of SecAgg+: {@link org.comity.aggregation.secagg.client.SecAggClient} over one immutable
 * class per stage ({@link org.comity.aggregation.secagg.client.ClientStage}).
 */
package org.comity.aggregation.secagg.client;
