package com.marketplace.grpc;

import java.util.List;

/**
 * How a server handles every call, whatever the service: the interceptors that run before each
 * handler, and the largest request message it accepts, compressed or not.
 */
public record CallPolicy(List<ServerInterceptor> interceptors, long maxMessageSize) {

  public static final long DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

  public CallPolicy {
    interceptors = List.copyOf(interceptors);
  }

  public static CallPolicy defaults() {
    return new CallPolicy(List.of(), DEFAULT_MAX_MESSAGE_SIZE);
  }

  public CallPolicy withInterceptors(List<ServerInterceptor> interceptors) {
    return new CallPolicy(interceptors, maxMessageSize);
  }
}
