package com.marketplace.testing;

import com.marketplace.client.CallOptions;
import com.marketplace.client.ClientCall;
import com.marketplace.grpc.RpcException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.util.ArrayList;
import java.util.List;

/** Whole calls through the client layer, so that tests see every message and the true status. */
public final class Calls {

  private static final long MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

  private Calls() {}

  /** What a call ended with: every message received, and its status. */
  public record Outcome<T>(List<T> messages, GrpcStatus status, String message) {
    public T single() {
      if (messages.size() != 1) {
        throw new AssertionError("expected one message, got " + messages.size() + " and status " + status + " " + message);
      }
      return messages.get(0);
    }
  }

  public static <Req, Resp> Future<Outcome<Resp>> call(HttpClient client, SocketAddress server,
                                                       ServiceMethod<Resp, Req> method, Req request) {
    return call(client, server, method, List.of(request), 0);
  }

  /**
   * Sends every request, half-closes, and collects the answers. {@code timeoutMs} > 0 is sent as
   * {@code grpc-timeout} but not enforced by the client, so that tests see the server enforce it.
   */
  public static <Req, Resp> Future<Outcome<Resp>> call(HttpClient client, SocketAddress server,
                                                       ServiceMethod<Resp, Req> method, List<Req> requests, long timeoutMs) {
    CallOptions options = timeoutMs > 0 ? CallOptions.defaults().withMetadata("grpc-timeout", timeoutMs + "m") : CallOptions.defaults();
    List<Resp> messages = new ArrayList<>();
    return ClientCall.start(client, server, method, options, MAX_MESSAGE_SIZE, messages::add).compose(call -> {
      requests.forEach(call::write);
      call.end();
      return call.result();
    }).transform(result -> {
      if (result.succeeded()) {
        return Future.succeededFuture(new Outcome<>(messages, GrpcStatus.OK, null));
      }
      if (result.cause() instanceof RpcException error) {
        return Future.succeededFuture(new Outcome<>(messages, error.status(), error.getMessage()));
      }
      return Future.failedFuture(result.cause());
    });
  }
}
