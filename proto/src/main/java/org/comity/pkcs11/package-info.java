/**
 * Keys kept in a PKCS#11 token (a hardware security module, or SoftHSM in tests) through the JDK's SunPKCS11
 * provider, for both executables: the agent's TLS and signing key and the consortium CA's key.
 *
 * <p>It lives in the shared contracts module because both the agent and the coordinator need exactly the same
 * token rules (slot lookup, PIN handling, error messages) and neither module may depend on the other.
 */
package org.comity.pkcs11;
