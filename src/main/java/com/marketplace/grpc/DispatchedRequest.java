package com.marketplace.grpc;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.grpc.server.GrpcServerRequest;

/**
 * A call's HTTP response, which vertx-grpc 5.0.7 does not expose. The server names the request it
 * hands to vertx-grpc ({@link #dispatch}), which creates the call before it returns, on the same
 * thread; the call takes that request's response only if the request is its own ({@link #responseOf}).
 */
public final class DispatchedRequest {

  private static final ThreadLocal<HttpServerRequest> DISPATCHING = new ThreadLocal<>();

  private DispatchedRequest() {}

  /** Runs {@code dispatch}, during which a call created for {@code request} may take its response. */
  public static void dispatch(HttpServerRequest request, Runnable dispatch) {
    DISPATCHING.set(request);
    try {
      dispatch.run();
    } finally {
      // Cleared, not removed: the event loop's entry stays, so the next request's set() allocates nothing.
      DISPATCHING.set(null);
    }
  }

  /**
   * The response of the HTTP request being dispatched, if that request is {@code call}'s own, else
   * null. Call while the call is created.
   */
  static HttpServerResponse responseOf(GrpcServerRequest<?, ?> call) {
    HttpServerRequest http = DISPATCHING.get();
    // vertx-grpc's request hands on the headers of the HTTP request it reads.
    return http != null && http.headers() == call.headers() ? http.response() : null;
  }
}
