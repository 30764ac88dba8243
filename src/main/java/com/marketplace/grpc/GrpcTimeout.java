package com.marketplace.grpc;

import java.util.concurrent.TimeUnit;

/** The {@code grpc-timeout} request header: up to 8 digits and a unit (H, M, S, m, u, n). */
public final class GrpcTimeout {

  public static final String HEADER = "grpc-timeout";
  private static final int MAX_DIGITS = 8;
  private static final long LARGEST_VALUE = 99_999_999;

  private GrpcTimeout() {}

  /**
   * The timeout in milliseconds, rounded up so that a sub-millisecond one still runs out (vertx-grpc
   * 5.0.7 rounds it down to none); 0 without a header, -1 for a malformed one.
   */
  public static long millis(String header) {
    if (header == null) {
      return 0;
    }
    int digits = header.length() - 1;
    if (digits < 1 || digits > MAX_DIGITS) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < digits; i++) {
      char c = header.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    long millis = switch (header.charAt(digits)) {
      case 'H' -> TimeUnit.HOURS.toMillis(value);
      case 'M' -> TimeUnit.MINUTES.toMillis(value);
      case 'S' -> TimeUnit.SECONDS.toMillis(value);
      case 'm' -> value;
      case 'u' -> ceilDiv(value, 1_000);
      case 'n' -> ceilDiv(value, 1_000_000);
      default -> -1;
    };
    // Zero means the deadline has already passed: it runs out at once, not never.
    return millis == 0 ? 1 : millis;
  }

  /**
   * The header for a timeout of {@code millis} (at least 1): in the finest of milliseconds, seconds,
   * minutes and hours that fits in 8 digits, rounded up; past 99999999 hours, that.
   */
  public static String header(long millis) {
    if (millis <= LARGEST_VALUE) {
      return millis + "m";
    }
    long seconds = ceilDiv(millis, 1_000);
    if (seconds <= LARGEST_VALUE) {
      return seconds + "S";
    }
    long minutes = ceilDiv(seconds, 60);
    return minutes <= LARGEST_VALUE ? minutes + "M" : Math.min(ceilDiv(minutes, 60), LARGEST_VALUE) + "H";
  }

  /** {@code value / divisor} rounded up, for any non-negative value: the remainder decides, as a sum could overflow. */
  private static long ceilDiv(long value, long divisor) {
    return value / divisor + (value % divisor == 0 ? 0 : 1);
  }
}
