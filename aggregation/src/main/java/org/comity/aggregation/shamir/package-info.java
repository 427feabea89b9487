/** Shamir secret sharing of 256-bit secrets over GF(2^256 + 297). */
package org.comity.aggregation.shamir;
