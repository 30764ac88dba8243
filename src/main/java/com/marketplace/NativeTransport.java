package com.marketplace;

import io.vertx.core.VertxOptions;

/**
 * The Vert.x options every command starts from: Linux's epoll transport where it is available
 * (fewer system calls and copies per message than Java NIO), NIO elsewhere.
 */
public final class NativeTransport {

  private NativeTransport() {}

  public static VertxOptions vertxOptions() {
    return new VertxOptions().setPreferNativeTransport(true);
  }

  /**
   * A start-up failure in one line; epoll and NIO word a taken port differently
   * ({@code bind(..) failed with error(-98): Address already in use}), so that one reads the same either way.
   *
   * @param ports the ports the command tried to bind, e.g. {@code gRPC port 50051}
   */
  public static String describeStartFailure(Throwable failure, String ports) {
    String message = String.valueOf(failure.getMessage());
    return message.contains("Address already in use") ? "address already in use (" + ports + ")" : message;
  }
}
