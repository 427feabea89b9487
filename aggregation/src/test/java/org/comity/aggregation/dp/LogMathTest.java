package org.comity.aggregation.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogMathTest {

  /** Expected values: mpmath 1.3.0, {@code log(erfc(x))} at 40 significant digits. */
  @ParameterizedTest(name = "logErfc({0}) = {1}")
  @CsvSource({
    "-30, 0.69314718055994530942",
    "-5, 0.69314718055917657952",
    "-1, 0.61123231767807049464",
    "-0.1, 0.10657640058652249059",
    "0, 0.0",
    "1e-8, -1.1283791734617103315e-8",
    "0.3, -0.3984300514400852726",
    "0.5, -0.73501112983708440303",
    "1, -1.8496055099332482486",
    "1.9, -4.9323458627802689327",
    "2, -5.3649412646166375745",
    "2.1, -5.8160109688675550134",
    "3, -10.720363041981112568",
    "5, -27.200889545537434422",
    "10, -102.87988902484488857",
    "27, -732.86888650789741098",
    "30, -903.97411711064387808",
    "100, -10005.177585122664333",
    "1e4, -100000009.7827053199",
  })
  void logErfc_matchesMultiPrecisionReference_toTwelveDigits(double x, double expected) {
    // when
    double actual = LogMath.logErfc(x);
    // then
    assertEquals(expected, actual, Math.max(1e-16, Math.abs(expected) * 1e-12));
  }

  @Test
  void logAdd_withMinusInfinity_returnsTheOtherArgument() {
    assertEquals(3.5, LogMath.logAdd(Double.NEGATIVE_INFINITY, 3.5));
    assertEquals(3.5, LogMath.logAdd(3.5, Double.NEGATIVE_INFINITY));
  }

  @Test
  void logAdd_ofHugeLogs_doesNotOverflow() {
    // given exp(1000) overflows a double
    // when
    double sum = LogMath.logAdd(1000.0, 1000.0);
    // then
    assertEquals(1000.0 + Math.log(2.0), sum, 1e-12);
  }

  @Test
  void logSub_goingNegative_throwsNamingBothValues() {
    var error = assertThrows(ArithmeticException.class, () -> LogMath.logSub(1.0, 2.0));
    assertEquals("log-space subtraction would go negative: exp(1.0) - exp(2.0)", error.getMessage());
  }

  @Test
  void log1mExp_isAccurateNearZeroAndFarBelow() {
    assertEquals(Math.log(1e-20), LogMath.log1mExp(-1e-20), 1e-12);
    assertEquals(-Math.exp(-50.0), LogMath.log1mExp(-50.0), 1e-30);
  }

  @Test
  void logExpm1_isAccurateForTinyAndLargeArguments() {
    assertEquals(Math.log(1e-15), LogMath.logExpm1(1e-15), 1e-12);
    assertEquals(800.0, LogMath.logExpm1(800.0), 1e-12);
  }
}
