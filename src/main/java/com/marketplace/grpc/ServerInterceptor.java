package com.marketplace.grpc;

/**
 * Runs before every call's handler, in registration order: authentication, logging, metrics.
 *
 * <p>An interceptor either calls {@code proceed} (at once or later, e.g. after an asynchronous
 * check) or ends the call itself by failing it. Request messages wait, paused, until the handler runs.
 */
@FunctionalInterface
public interface ServerInterceptor {
  void intercept(ServerCall<?, ?> call, Runnable proceed);

  /** A call to a method no service has, once answered: to be seen (logged, counted), not intercepted. */
  default void unknownMethod(UnknownMethodCall call) {
  }
}
