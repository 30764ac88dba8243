package com.marketplace.testing;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Whole calls made with the low-level Vert.x client, so that tests see every message and the true status. */
public final class Calls {

  private Calls() {}

  /** What a call ended with. */
  public record Outcome<T>(List<T> messages, GrpcStatus status, String message) {
    public T single() {
      if (messages.size() != 1) {
        throw new AssertionError("expected one message, got " + messages.size() + " and status " + status + " " + message);
      }
      return messages.get(0);
    }
  }

  public static <Req, Resp> Future<Outcome<Resp>> call(GrpcClient client, SocketAddress server,
                                                       ServiceMethod<Resp, Req> method, Req request) {
    return call(client, server, method, List.of(request), 0);
  }

  /** Sends every request, half-closes, and collects the answers; {@code timeoutMs} > 0 is sent as grpc-timeout. */
  public static <Req, Resp> Future<Outcome<Resp>> call(GrpcClient client, SocketAddress server,
                                                       ServiceMethod<Resp, Req> method, List<Req> requests, long timeoutMs) {
    return client.request(server, method).compose(request -> {
      if (timeoutMs > 0) {
        request.timeout(timeoutMs, TimeUnit.MILLISECONDS);
      }
      send(request, requests);
      return request.response();
    }).compose(Calls::collect);
  }

  private static <Req> void send(GrpcClientRequest<Req, ?> request, List<Req> requests) {
    if (requests.isEmpty()) {
      request.end();
      return;
    }
    for (int i = 0; i < requests.size() - 1; i++) {
      request.write(requests.get(i));
    }
    request.end(requests.get(requests.size() - 1));
  }

  /** Reads every message; the status message comes from the headers or, after messages, the trailers. */
  public static <Resp> Future<Outcome<Resp>> collect(GrpcClientResponse<?, Resp> response) {
    List<Resp> messages = new ArrayList<>();
    Promise<Outcome<Resp>> outcome = Promise.promise();
    response.handler(messages::add);
    response.exceptionHandler(outcome::tryFail);
    response.endHandler(v -> outcome.tryComplete(new Outcome<>(messages, response.status(), statusMessage(response))));
    return outcome.future();
  }

  private static String statusMessage(GrpcClientResponse<?, ?> response) {
    String message = response.headers().get("grpc-message");
    if (message == null) {
      message = response.trailers().get("grpc-message");
    }
    return message == null ? null : QueryStringDecoder.decodeComponent(message.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
