/**
 * The append-only audit trail: entries hash-chained and signed with the coordinator's ECDSA P-256 key, stored in
 * the coordinator's store, exportable and verifiable without any private key. What it detects and what it cannot
 * is listed in {@link org.comity.coordinator.audit.AuditVerifier} and {@code docs/THREAT_MODEL.md}.
 */
package org.comity.coordinator.audit;
