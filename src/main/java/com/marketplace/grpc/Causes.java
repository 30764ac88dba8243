package com.marketplace.grpc;

/** A failure's chain of causes, whose innermost one usually says what went wrong. */
public final class Causes {

  private Causes() {}

  /** The last cause in {@code error}'s chain, or {@code error} itself when it has none. */
  public static Throwable innermost(Throwable error) {
    Throwable innermost = error;
    while (innermost.getCause() != null) {
      innermost = innermost.getCause();
    }
    return innermost;
  }
}
