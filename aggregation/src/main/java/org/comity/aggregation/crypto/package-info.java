/**
 * Small wrappers over JDK and Bouncy Castle primitives (X25519, HKDF-SHA256, AES-256-GCM, ChaCha20)
 * with the sizes, checks and secret handling secure aggregation needs. Nothing here is home-made
 * cryptography.
 */
package org.comity.aggregation.crypto;
