package dev.autopilot.runtime.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Locale-free, fixed-decimal number formatting for the deterministic output files. */
final class Numbers {

  private Numbers() {}

  /** {@code v} rounded half-up to {@code decimals}; null when v is null or not finite. */
  static BigDecimal fixed(Number v, int decimals) {
    if (v == null) {
      return null;
    }
    if (v instanceof Long || v instanceof Integer) {
      return BigDecimal.valueOf(v.longValue()).setScale(decimals, RoundingMode.HALF_UP);
    }
    double d = v.doubleValue();
    if (!Double.isFinite(d)) {
      return null;
    }
    return BigDecimal.valueOf(d == 0 ? 0.0 : d).setScale(decimals, RoundingMode.HALF_UP);
  }

  /** {@link #fixed} as plain text; {@code missing} when undefined. */
  static String text(Number v, int decimals, String missing) {
    BigDecimal b = fixed(v, decimals);
    return b == null ? missing : b.toPlainString();
  }
}
