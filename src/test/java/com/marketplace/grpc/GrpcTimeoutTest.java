package com.marketplace.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The {@code grpc-timeout} header, read and written. */
class GrpcTimeoutTest {

  @Test
  void eachUnitIsReadInWholeMillisecondsRoundedUp() {
    assertEquals(2 * 3_600_000, GrpcTimeout.millis("2H"));
    assertEquals(180_000, GrpcTimeout.millis("3M"));
    assertEquals(4_000, GrpcTimeout.millis("4S"));
    assertEquals(5, GrpcTimeout.millis("5m"));
    assertEquals(1, GrpcTimeout.millis("900u"));
    assertEquals(1, GrpcTimeout.millis("1n"));
    assertEquals(1, GrpcTimeout.millis("0m"), "a deadline already passed runs out at once");
  }

  @Test
  void noHeaderIsNoDeadlineAndAMalformedOneIsRefused() {
    assertEquals(0, GrpcTimeout.millis(null));
    assertEquals(-1, GrpcTimeout.millis("m"));
    assertEquals(-1, GrpcTimeout.millis("123456789m"), "more than 8 digits");
    assertEquals(-1, GrpcTimeout.millis("12x"));
    assertEquals(-1, GrpcTimeout.millis("1.5S"));
  }

  @Test
  void aWrittenTimeoutHasAtMostEightDigitsAndReadsBackAtLeastAsLong() {
    assertEquals("200m", GrpcTimeout.header(200));
    assertEquals("99999999m", GrpcTimeout.header(99_999_999));
    assertEquals("100001S", GrpcTimeout.header(100_000_001), "more than 8 digits of milliseconds");
    assertEquals(100_001_000, GrpcTimeout.millis(GrpcTimeout.header(100_000_001)));
    long hundredYears = 100 * 365 * 86_400_000L;
    assertEquals("52560000M", GrpcTimeout.header(hundredYears), "more than 8 digits of seconds");
    assertEquals(hundredYears, GrpcTimeout.millis(GrpcTimeout.header(hundredYears)));
    assertEquals("99999999H", GrpcTimeout.header(Long.MAX_VALUE), "the longest there is");
    assertEquals(99_999_999 * 3_600_000L, GrpcTimeout.millis("99999999H"));
  }
}
